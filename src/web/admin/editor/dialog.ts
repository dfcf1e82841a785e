// A small modal form in a native <dialog>: labelled fields, a checkbox that can make another field
// optional (an image's "decorative" box and its alternative text), the browser's own validation, and
// Escape or "Cancel" to leave it. Resolves to the values, or null when cancelled.

export interface DialogField {
  name: string;
  label: string;
  type?: 'text' | 'url' | 'checkbox';
  value?: string;
  checked?: boolean;
  required?: boolean;
  hint?: string;
  /** For a required text field: the checkbox (by name) that, when ticked, makes it optional and disabled. */
  optionalWhen?: string;
  /** A pattern the value must match (the whole value), with the message the browser shows when it does not. */
  pattern?: { regex: string; message: string };
}

export type DialogValues = Record<string, string | boolean>;

let counter = 0;

function fieldRow(doc: Document, f: DialogField): HTMLElement {
  const id = `body-editor-field-${++counter}`;
  const row = doc.createElement('p');
  row.className = f.type === 'checkbox' ? 'body-editor-field body-editor-check' : 'body-editor-field';
  const input = doc.createElement('input');
  input.id = id;
  input.name = f.name;
  input.type = f.type ?? 'text';
  if (f.type === 'checkbox') input.checked = f.checked ?? false;
  else input.value = f.value ?? '';
  if (f.required) input.required = true;
  if (f.type === 'url') input.pattern = 'https?://.+';
  if (f.pattern) {
    const { regex, message } = f.pattern;
    input.pattern = regex;
    // The browser's own "match the requested format" says nothing useful; say what is expected.
    const check = () => input.setCustomValidity(input.validity.patternMismatch ? message : '');
    input.addEventListener('input', () => {
      input.setCustomValidity('');
      check();
    });
    check();
  }
  const label = doc.createElement('label');
  label.htmlFor = id;
  label.textContent = f.label;
  if (f.type === 'checkbox') row.append(input, ' ', label);
  else row.append(label, input);
  if (f.hint) {
    const hint = doc.createElement('span');
    hint.id = `${id}-hint`;
    hint.className = 'body-editor-hint';
    hint.textContent = f.hint;
    input.setAttribute('aria-describedby', hint.id);
    row.append(hint);
  }
  return row;
}

/** Ties a required field to the checkbox that makes it optional. */
function linkOptional(form: HTMLFormElement, fields: readonly DialogField[]): void {
  for (const f of fields) {
    if (!f.optionalWhen) continue;
    const input = form.elements.namedItem(f.name) as HTMLInputElement;
    const box = form.elements.namedItem(f.optionalWhen) as HTMLInputElement;
    const apply = () => {
      input.required = !box.checked && (f.required ?? false);
      input.disabled = box.checked;
    };
    box.addEventListener('change', apply);
    apply();
  }
}

/** Shows a modal form and resolves to its values, or null when it is cancelled. */
export function askFor(doc: Document, title: string, fields: readonly DialogField[], submitLabel: string): Promise<DialogValues | null> {
  const dialog = doc.createElement('dialog');
  dialog.className = 'body-editor-dialog';
  const heading = doc.createElement('h2');
  heading.id = `body-editor-dialog-${++counter}`;
  heading.textContent = title;
  dialog.setAttribute('aria-labelledby', heading.id);
  const form = doc.createElement('form');
  form.method = 'dialog';
  form.append(heading, ...fields.map((f) => fieldRow(doc, f)));
  const actions = doc.createElement('p');
  actions.className = 'body-editor-actions';
  const ok = doc.createElement('button');
  ok.type = 'submit';
  ok.value = 'ok';
  ok.textContent = submitLabel;
  const cancel = doc.createElement('button');
  cancel.type = 'button';
  cancel.textContent = 'Cancel';
  actions.append(ok, cancel);
  form.append(actions);
  dialog.append(form);
  doc.body.append(dialog);
  linkOptional(form, fields);

  return new Promise((resolve) => {
    cancel.addEventListener('click', () => dialog.close('cancel'));
    dialog.addEventListener('close', () => {
      const values: DialogValues = {};
      for (const f of fields) {
        const input = form.elements.namedItem(f.name) as HTMLInputElement;
        values[f.name] = f.type === 'checkbox' ? input.checked : input.value.trim();
      }
      dialog.remove();
      resolve(dialog.returnValue === 'ok' ? values : null);
    });
    dialog.showModal();
  });
}
