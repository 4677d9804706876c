// Links in the page (docs/url.md): a link gives the same spec and the same first 50 epochs' losses
// as liandan-train on that spec; a link with trained weights (weights=) opens the trained network,
// from the page API and from the Experiment menu; a network too big for a link, and a damaged
// one, are refused saying why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { browserAndServers, clickWidget, openPage as open, root } from '../lib/browser.mjs';

const web = browserAndServers(process.env.LIANDAN_BUILD_DIR || path.join(root, 'build'));
const openPage = (url) => open(web.browser, url);
const bin = path.join(process.env.LIANDAN_BIN, 'liandan-train');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'liandan-links-'));

test('a link gives the same spec and the same first 50 losses as the CLI on that spec', async () => {
  const link = '#dataset=xor&networkShape=4,3&activation=tanh&learningRate=0.03&batchSize=10&noise=15&seed=7';
  const { page, errors } = await openPage(web.isolated.url + '?keep=0' + link);
  const spec = await page.evaluate(() => liandan.spec());
  const perEpoch = Math.ceil(await page.evaluate(() => liandan.viewState().points) * (1 - spec.data.test_fraction) / spec.train.batch_size);
  const pageLosses = await page.evaluate(async (n) => {
    const losses = [];
    for (let e = 0; e < 50; e++) losses.push((await liandan.step(n)).loss_train);
    return losses;
  }, perEpoch);
  fs.writeFileSync(path.join(tmp, 'link.json'), JSON.stringify(spec));
  const r = spawnSync(bin, ['--config', path.join(tmp, 'link.json'), '--set', 'train.epochs=50', '--metrics', path.join(tmp, 'link.jsonl')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const cliLosses = fs.readFileSync(path.join(tmp, 'link.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).loss_train);
  assert.equal(cliLosses.length, 50);
  const worst = Math.max(...pageLosses.map((l, i) => Math.abs(l - cliLosses[i]) / Math.max(1e-3, cliLosses[i])));
  console.log(`the link's first 50 epochs: loss ${cliLosses[0].toFixed(4)} → ${cliLosses[49].toFixed(4)} natively; the page's differ by ${worst.toExponential(2)} at most (relative)`);
  assert.ok(worst < 1e-4, `the page's losses differ from the CLI's by ${worst}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a link with trained weights opens the trained network; the menu puts it in the address bar', async () => {
  const { page, errors } = await openPage(web.isolated.url + '?keep=0#dataset=xor&networkShape=4,2&learningRate=0.1');
  await page.evaluate(() => liandan.step(300));
  const trained = await page.evaluate(async () => ({ weights: [...await liandan.saveWeights()], m: liandan.metrics(), url: liandan.url({ weights: true }) }));
  assert.match(trained.url, /&weights=[\w-]+$/);
  console.log(`a link with the weights of a 2-4-2-1 network: ${trained.url.length} characters`);
  const { page: other } = await openPage(web.isolated.url + '?keep=0' + trained.url);
  await other.waitForFunction(() => liandan.metrics().loads >= 1);
  const opened = await other.evaluate(async () => ({ weights: [...await liandan.saveWeights()], m: liandan.metrics() }));
  assert.deepEqual(opened.weights, trained.weights);
  assert.equal(opened.m.step, 0, 'a new run, from the trained weights');
  assert.ok(Math.abs(opened.m.loss_train - trained.m.loss_train) < 1e-6, `the trained loss (${opened.m.loss_train} vs ${trained.m.loss_train})`);
  await other.close();

  // From the Experiment menu: the address bar.
  const clickLabel = (label) => clickWidget(page, label);
  await clickLabel('Experiment');
  await clickLabel('Link with trained weights');
  await page.waitForFunction(() => location.hash.includes('&weights='));
  assert.match(await page.evaluate(() => liandan.viewState().message), /with its trained weights \(step 300\) is in the address bar/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a network too big for a link, and a damaged link, are refused saying why', async () => {
  const { page } = await openPage(web.isolated.url + '?keep=0#dataset=xor&networkShape=40,40&learningRate=0.1');
  const largest = await page.evaluate(() => liandan.url({ weights: true })); // 1,841 weights: a link still
  console.log(`a link with 1,841 weights: ${(largest.length / 1024).toFixed(1)} KB`);
  assert.ok(largest.length < 12 * 1024);
  await page.evaluate(() => liandan.load({ data: { toy: { shape: 'xor' } }, model: { layers: [{ type: 'dense', units: 60, activation: 'tanh' }, { type: 'dense', units: 30, activation: 'tanh' }, { type: 'dense', units: 1 }] } }));
  const bigger = await page.evaluate(() => { try { return liandan.url({ weights: true }); } catch (e) { return e.message; } });
  assert.match(bigger, /^this network has 2041 weights; links carry at most 2000/);
  const damaged = await page.evaluate(() => { try { liandan.loadUrl('#dataset=xor&weights=AAAA'); return 'accepted'; } catch (e) { return e.message; } });
  assert.equal(damaged, 'URL weights: is not a list of weights (damaged or cut short)');
  // Weights of another network: the trainer refuses them naming both counts; the experiment loads.
  const small = await page.evaluate(async () => {
    await liandan.load({ data: { toy: { shape: 'xor' } }, model: { layers: [{ type: 'dense', units: 2, activation: 'tanh' }, { type: 'dense', units: 1 }] } });
    return liandan.url({ weights: true });
  });
  const mismatch = await page.evaluate((hash) => liandan.loadUrl(hash.replace(/networkShape=2/, 'networkShape=3')).then(() => 'accepted', (e) => e.message), small);
  assert.match(mismatch, /^weights: 9 values for a network of 13$/);
  await page.close();
});
