// Training speed in the page against its own core under node (see scripts/bench-page): each
// workload of liandan-bench runs at full speed in headless Chromium with the interface drawing,
// for the threaded build (2 threads) and the single-threaded one; then the same wasm build runs
// it under node, and in a Chromium page without the interface (scripts/page-training.mjs): the
// page's gap to node splits into the browser's wasm engine (core_in_chromium_over_node) and the
// interface (page_over_core_in_chromium). Prints JSON lines; the threaded build's carry a
// cache line's round trip between two threads, which tells the machine's two-thread mode.
import { launchChromium } from '../tests/lib/browser.mjs';
import { defaultMnist, inBrowserCore, inPage, linkRoundTripNs, underNode, unit } from './page-training.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const seconds = Number(option('--seconds', 8));
const [width, height] = option('--size', '1280x800').split('x').map(Number);
const only = option('--only', 'W1,W2,W3').split(',');
const builds = option('--builds', 'mt,st').split(',');
const threads = Number(option('--threads', 2));
const mnist = option('--mnist', defaultMnist);
const profile = args.includes('--profile');
const rounds = Math.max(1, Number(option('--rounds', 1)) || 1);

// The machine's speed drifts by a third between runs minutes apart (docs/performance.md): with
// --rounds N the page and node take turns N times for each figure, and the line carries each
// round's ratio and the median one.
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratios = (xs, ys, digits = 2) => xs.map((x, i) => +(x / ys[i]).toFixed(digits)); // round by round
const browser = await launchChromium();
for (const build of builds)
  for (const name of only) {
    const pages = [], nodes = [], alone = [], cores = [];
    let p = null;
    for (let r = 0; r < rounds; ++r) {
      p = await inPage(browser, build, name, { width, height, threads, seconds, profile });
      pages.push(p.per_s);
      alone.push(p.steps_alone_per_s);
      nodes.push(underNode(build, name, { threads, seconds, mnist }));
      cores.push(await inBrowserCore(browser, build, name, { threads, seconds }));
    }
    const pageRatios = ratios(pages, nodes), aloneRatios = ratios(alone, nodes), coreRatios = ratios(cores, nodes);
    console.log(JSON.stringify({
      figure: name, build, threads: build === 'mt' ? threads : 1, viewport: `${width}x${height}`, unit: unit(name),
      ...(build === 'mt' ? { link_round_trip_ns: linkRoundTripNs() } : {}),
      page: Math.round(median(pages)), node: Math.round(median(nodes)), page_over_node: median(pageRatios),
      steps_alone_over_node: median(aloneRatios), core_in_chromium: Math.round(median(cores)),
      core_in_chromium_over_node: median(coreRatios), page_over_core_in_chromium: median(ratios(pages, cores)),
      in_steps: median(ratios(pages, alone, 3)),
      ...(rounds > 1 ? { rounds: pageRatios.map((x, i) => ({ page: Math.round(pages[i]), node: Math.round(nodes[i]), page_over_node: x, steps_alone_over_node: aloneRatios[i],
        core_in_chromium: Math.round(cores[i]), core_in_chromium_over_node: coreRatios[i] })) } : {}),
      drawn_per_s: p.drawn_per_s, loss: [+p.loss_at_play.toPrecision(3), +p.loss_end.toPrecision(3)],
      ...(p.cores ? { cores: p.cores } : {}), browser: 'chromium headless, swiftshader' }));
  }
await browser.close();
