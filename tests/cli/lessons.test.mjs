// Each lesson's stated effect really happens (assets/lessons/lessons.json): liandan-train runs the
// lesson's spec with each variant's --set overrides, and the lesson's checks hold on the last
// epoch's metrics: "better" beats "worse" on a metric (by a margin, or a ratio for losses and
// errors), variants spread apart (seeds), or a variant beats guessing the majority class.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const lessonsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'assets', 'lessons');
const catalog = JSON.parse(fs.readFileSync(path.join(lessonsDir, 'lessons.json'), 'utf8'));
const bin = path.join(process.env.LIANDAN_BIN, 'liandan-train');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'liandan-lessons-'));

// The last epoch's metrics of a variant, with recall_<k> from the test confusion matrix; a run
// that diverged (exit 3) counts as an infinite loss.
function runVariant(lesson, variant) {
  const metrics = path.join(tmp, `${lesson.id}-${variant.name}.jsonl`);
  const args = ['--config', path.join(lessonsDir, lesson.spec), '--metrics', metrics, ...variant.set.flatMap((s) => ['--set', s])];
  const r = spawnSync(bin, args, { encoding: 'utf8' });
  if (r.status === 3) return { loss_train: Infinity, loss_test: Infinity, diverged: true };
  assert.equal(r.status, 0, `${lesson.id} / ${variant.name}: ${r.stderr}`);
  const m = JSON.parse(fs.readFileSync(metrics, 'utf8').trim().split('\n').at(-1));
  if (m.confusion_test) {
    const k = Math.round(Math.sqrt(m.confusion_test.length));
    const rows = [...Array(k).keys()].map((i) => m.confusion_test.slice(i * k, (i + 1) * k));
    rows.forEach((row, i) => { m[`recall_${i}`] = row[i] / row.reduce((a, b) => a + b, 0); });
    m.majority = Math.max(...rows.map((row) => row.reduce((a, b) => a + b, 0))) / m.confusion_test.reduce((a, b) => a + b, 0);
  }
  return m;
}

const lowerIsBetter = (metric) => /^(loss|rmse)/.test(metric);

for (const lesson of catalog.lessons) {
  test(`lesson ${lesson.id}: ${lesson.title.en}`, () => {
    assert.ok(lesson.text.en && lesson.text.zh && lesson.title.zh, 'the lesson speaks English and Chinese');
    const results = Object.fromEntries(lesson.variants.map((v) => [v.name, runVariant(lesson, v)]));
    for (const check of lesson.checks) {
      const value = (name) => results[name][check.metric];
      const shown = Object.entries(results).map(([n, m]) => `${n} ${Number(m[check.metric]).toFixed(3)}`).join(', ');
      console.log(`${lesson.id}: ${check.metric}: ${shown}`);
      if (check.spread !== undefined) {
        const values = Object.keys(results).map(value);
        assert.ok(Math.max(...values) - Math.min(...values) >= check.spread, `${check.metric} spreads less than ${check.spread}: ${shown}`);
      } else if (check.above_majority !== undefined) {
        const m = results[check.variant];
        assert.ok(m[check.metric] >= m.majority + check.above_majority, `${check.variant} is not ${check.above_majority} above guessing the majority (${m.majority})`);
      } else if (lowerIsBetter(check.metric)) {
        assert.ok(value(check.better) <= check.ratio * value(check.worse), `${check.better} is not within ${check.ratio}× of ${check.worse}: ${shown}`);
      } else {
        assert.ok(value(check.better) >= value(check.worse) + check.by, `${check.better} does not beat ${check.worse} by ${check.by}: ${shown}`);
      }
    }
  });
}
