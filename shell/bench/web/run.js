// Runs liandan-bench (built beside this file) with the arguments in ?args= (space-separated),
// after writing the digits the server has at /data/mnist/ into its file system at /mnist.
// window.bench holds what it printed (lines) and, once it exits, its exit code.
window.bench = { lines: [], exit: null, error: null };
(async () => {
  const files = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];
  const data = [];
  for (const f of files) {
    const r = await fetch('/data/mnist/' + f);
    if (!r.ok) throw new Error(`/data/mnist/${f}: ${r.status} (run scripts/fetch-data)`);
    data.push(new Uint8Array(await r.arrayBuffer()));
  }
  const args = (new URLSearchParams(location.search).get('args') || '').split(' ').filter(Boolean);
  window.Module = {
    arguments: [...args, '--mnist', '/mnist'],
    preRun: [() => {
      Module.FS.mkdir('/mnist');
      files.forEach((f, i) => Module.FS.writeFile('/mnist/' + f, data[i]));
    }],
    print: (line) => window.bench.lines.push(line),
    printErr: (line) => window.bench.lines.push(line),
    onExit: (code) => { window.bench.exit = code; },
    onAbort: (what) => { window.bench.error = String(what); },
  };
  const script = document.createElement('script');
  script.src = 'liandan-bench.js';
  document.head.append(script);
})().catch((e) => { window.bench.error = String(e); });
