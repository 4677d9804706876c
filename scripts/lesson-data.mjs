// The lessons' own small data sets (assets/lessons/lessons.json), made here from a seeded generator,
// so every machine gets the same rows (scripts/fetch-data writes them into the data root's
// lessons/ folder, served to the page as data/lessons/):
//   curve.csv   x, y: 240 points of y = sin(2x) + 0.3x + noise over [-3, 3] (one hidden layer fits it)
//   churn.csv   1,500 made-up customers of a phone company: tenure, charges, contract, internet,
//               support calls, paperless billing, and whether they left (a rule with noise)
//   node scripts/lesson-data.mjs OUT
import fs from 'node:fs';
import path from 'node:path';

export const madeBy = 'scripts/lesson-data.mjs v1';

function generator(seed) { // mulberry32: small, fully specified
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function normal(random) { // Box-Muller
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function curve(random) {
  const rows = ['x,y'];
  for (let i = 0; i < 240; i++) {
    const x = -3 + 6 * random();
    rows.push(`${x.toFixed(4)},${(Math.sin(2 * x) + 0.3 * x + 0.05 * normal(random)).toFixed(4)}`);
  }
  return rows.join('\n') + '\n';
}

function churn(random) {
  const pick = (items) => items[Math.floor(random() * items.length)];
  const rows = ['tenure_months,monthly_charges,contract,internet,support_calls,paperless,churned'];
  for (let i = 0; i < 1500; i++) {
    const contract = pick(['month-to-month', 'month-to-month', 'one-year', 'two-year']);
    const internet = pick(['fiber', 'fiber', 'dsl', 'none']);
    const tenure = 1 + Math.floor(random() * 72);
    const charges = (internet === 'none' ? 20 : internet === 'dsl' ? 45 : 70) + 40 * random();
    const calls = Math.min(9, Math.floor(-Math.log(1 - random()) * 1.5));
    const paperless = random() < 0.6 ? 'yes' : 'no';
    // Who leaves: short tenure on a monthly contract, many calls to support, and fiber customers
    // with a high bill (an interaction a straight line cannot draw).
    const score = -1.2 + (contract === 'month-to-month' ? 1.6 : contract === 'one-year' ? 0 : -1.5) - tenure / 24 +
      0.45 * calls + (internet === 'fiber' && charges > 95 ? 1.8 : 0) + (paperless === 'yes' ? 0.3 : 0) + 0.5 * normal(random);
    rows.push([tenure, charges.toFixed(2), contract, internet, calls, paperless, score > 0 ? 'yes' : 'no'].join(','));
  }
  return rows.join('\n') + '\n';
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: node scripts/lesson-data.mjs OUT');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'curve.csv'), curve(generator(1)));
  fs.writeFileSync(path.join(out, 'churn.csv'), churn(generator(2)));
  fs.writeFileSync(path.join(out, 'MADE_BY'), madeBy + '\n');
}
