// The interface's texts that go through tr() / trl() (shell/app/i18n/tr.h), as a JSON list: what
// a catalog in assets/i18n/ must translate (tests/web/language.test.mjs checks zh.json against it).
//   node scripts/ui-strings.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export function uiStrings() {
  const found = new Set();
  const dirs = [path.join(root, 'shell', 'app'), path.join(root, 'shell', 'app', 'views')];
  for (const dir of dirs)
    for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.cpp'))) {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      // tr("...") or trl("..."), adjacent literals joined as C++ joins them.
      for (const m of text.matchAll(/\btrl?\(((?:\s*"(?:[^"\\]|\\.)*")+)\)/g))
        found.add([...m[1].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((p) => JSON.parse(`"${p[1]}"`)).join(''));
    }
  return [...found].sort();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) console.log(JSON.stringify(uiStrings(), null, 1));
