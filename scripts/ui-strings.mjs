// The interface's texts that a catalog in assets/i18n/ must translate, as a JSON list (the test
// tests/web/language.test.mjs checks zh.json against it):
//   node scripts/ui-strings.mjs
// They are the literal arguments of tr(), trl(), trf(), msgf(), item_tooltip() and help_marker()
// in the interface's code (shell/app/i18n/tr.h), the texts marked N_() in the core
// (core/util/ui_text.h), and the message templates and values of assets/i18n/messages.json.
// Adjacent literals are joined as C++ joins them.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const literals = '((?:\\s*"(?:[^"\\\\]|\\\\.)*")+)';
const marked = new RegExp(`\\b(?:trl?|trf|msgf|item_tooltip|help_marker|N_)\\(${literals}\\s*[,)]`, 'g');

function sourceFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(cpp|h)$/.test(e.name) ? [p] : [];
  });
}

export function uiStrings() {
  const found = new Set();
  for (const file of [...sourceFiles(path.join(root, 'shell', 'app')), ...sourceFiles(path.join(root, 'core'))]) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(marked))
      found.add([...m[1].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((p) => JSON.parse(`"${p[1]}"`)).join(''));
  }
  const messages = JSON.parse(fs.readFileSync(path.join(root, 'assets', 'i18n', 'messages.json'), 'utf8'));
  for (const text of [...Object.values(messages.templates).flat(), ...messages.values]) found.add(text);
  return [...found].sort();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) console.log(JSON.stringify(uiStrings(), null, 1));
