// The editor's toolbar: one button per action, labelled in words, with aria-pressed on the ones that
// toggle and the keyboard shortcut announced (aria-keyshortcuts) and shown as a tooltip. Arrow keys move
// between buttons (one tab stop for the whole toolbar, as the ARIA toolbar pattern asks).
import type { Editor } from '@tiptap/core';

export interface ToolbarAction {
  label: string;
  /** ProseMirror key notation, e.g. "Mod-b"; shown and announced in the platform's words. */
  shortcut?: string;
  run(editor: Editor): void;
  /** Present on buttons that toggle: whether the selection has it. */
  active?(editor: Editor): boolean;
}

const MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** "Mod-Shift-b" as aria-keyshortcuts wants it ("Control+Shift+B") and as a person reads it ("Ctrl+Shift+B"). */
function shortcutNames(shortcut: string): { aria: string; shown: string } {
  const keys = shortcut.split('-').map((k) => (k === 'Mod' ? (MAC ? 'Meta' : 'Control') : k === 'Alt' ? 'Alt' : k.length === 1 ? k.toUpperCase() : k));
  return { aria: keys.join('+'), shown: keys.map((k) => (k === 'Control' ? 'Ctrl' : k === 'Meta' ? '⌘' : k)).join('+') };
}

function moveFocus(buttons: readonly HTMLButtonElement[], from: number, to: number): void {
  const target = buttons[(to + buttons.length) % buttons.length]!;
  buttons[from]!.tabIndex = -1;
  target.tabIndex = 0;
  target.focus();
}

/** Builds the toolbar for `editor`; call the returned update() after every transaction. */
export function buildToolbar(doc: Document, editor: Editor, actions: readonly ToolbarAction[], label: string): { element: HTMLElement; update(): void } {
  const bar = doc.createElement('div');
  bar.className = 'body-editor-toolbar';
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', label);
  const buttons = actions.map((action, i) => {
    const b = doc.createElement('button');
    b.type = 'button';
    b.textContent = action.label;
    b.tabIndex = i === 0 ? 0 : -1;
    if (action.shortcut) {
      const names = shortcutNames(action.shortcut);
      b.setAttribute('aria-keyshortcuts', names.aria);
      b.title = `${action.label} (${names.shown})`;
    }
    // Keep the editor's selection: a mouse press on the button must not move focus away first.
    b.addEventListener('mousedown', (e) => e.preventDefault());
    b.addEventListener('click', () => action.run(editor));
    bar.append(b);
    return b;
  });
  bar.addEventListener('keydown', (e) => {
    const at = buttons.indexOf(e.target as HTMLButtonElement);
    if (at < 0) return;
    const step = { ArrowRight: 1, ArrowLeft: -1, Home: -at, End: buttons.length - 1 - at }[e.key];
    if (step === undefined) return;
    e.preventDefault();
    moveFocus(buttons, at, at + step);
  });
  const update = () => {
    actions.forEach((action, i) => {
      const b = buttons[i]!;
      if (action.active) b.setAttribute('aria-pressed', String(action.active(editor)));
    });
  };
  update();
  return { element: bar, update };
}
