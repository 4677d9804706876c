// A phone's or tablet's on-screen keyboard for the app's text fields (shell/app/ui/screen_keyboard.h).
// A browser shows its keyboard only for a focused text element, and the app draws its fields on
// the canvas. While a field that a finger made active stays active, the app sends a copy of its
// text and selection after each frame that changed them (mirror), and this hidden input holds it,
// focused. Whatever the keyboard then changes in it (a character, a deletion, a word it completed
// or corrected) goes to the app as a range of the field's text replaced (onEdit). A hardware
// keyboard's keys leave the input alone: SDL listens on the window and cancels their default.
window.LiandanScreenKeyboard = (() => {
  const input = document.createElement('input');
  Object.assign(input, { id: 'screen-keyboard', type: 'text', autocomplete: 'off', spellcheck: false, tabIndex: -1 });
  for (const [name, value] of [['autocapitalize', 'off'], ['autocorrect', 'off'], ['enterkeyhint', 'done'], ['aria-label', 'text field']])
    input.setAttribute(name, value);
  document.body.appendChild(input);

  let active = false;
  let base = ''; // what the input held after the last copy or edit: edits are told against it
  let composing = false; // a word the keyboard is composing: the copy waits until it is done
  let edit = null;

  input.addEventListener('compositionstart', () => { composing = true; });
  input.addEventListener('compositionend', () => { composing = false; });
  input.addEventListener('input', () => {
    const after = input.value, caret = input.selectionEnd ?? after.length;
    // The part that changed: what the two texts do not share at their ends, and the caret after it.
    let tail = 0;
    while (tail < base.length && tail < after.length - caret && base[base.length - 1 - tail] === after[after.length - 1 - tail]) ++tail;
    let head = 0;
    while (head < base.length - tail && head < after.length - tail && base[head] === after[head]) ++head;
    const start = head, end = base.length - tail, text = after.slice(head, after.length - tail);
    base = after;
    if (edit && (start !== end || text)) edit(start, end, text);
  });

  // iOS shows the keyboard only for a focus given while a touch is handled: the field a tap made
  // active gets it again when a tap on it ends (a tap elsewhere is about to make it inactive).
  let at = { x: 0, y: 0 };
  document.addEventListener('touchend', (e) => {
    const t = e.changedTouches[0];
    if (active && document.activeElement !== input && t && Math.hypot(t.clientX - at.x, t.clientY - at.y) < 48) input.focus();
  }, { passive: true });

  return {
    input,
    onEdit(f) { edit = f; },
    // The app's copy of the field: { active, numeric, text, start, end, x, y } (CSS pixels).
    mirror(field) {
      active = field.active;
      if (!active) {
        if (document.activeElement === input) input.blur();
        return;
      }
      at = { x: field.x, y: field.y };
      input.inputMode = field.numeric ? 'decimal' : 'text';
      input.style.left = `${field.x}px`;
      input.style.top = `${field.y}px`;
      if (!composing) {
        if (input.value !== field.text) input.value = field.text;
        if (input.selectionStart !== field.start || input.selectionEnd !== field.end) input.setSelectionRange(field.start, field.end);
        base = field.text;
      }
      if (document.activeElement !== input) input.focus({ preventScroll: true });
    },
  };
})();
