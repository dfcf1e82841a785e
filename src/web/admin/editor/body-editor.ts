// Progressive enhancement of an article form's body: a <textarea name="body" data-body-editor> becomes a
// rich-text editor (Tiptap 3 in plain mode) with a toolbar. The textarea stays in the form, hidden, and
// receives the editor's HTML on every change and on submit, with body_format=html beside it; the server
// cleans that HTML before storing it (decision 0021). Without this script the form works as it is.
//
// The textarea holds the body as stored, in the format its form's body_format field names. An HTML body
// is edited as it is; a Markdown body only when the form also gives its rendered HTML in the textarea's
// data-body-html (it is then saved as HTML), otherwise the Markdown stays in the plain textarea.
import { Editor } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { directionOf } from '../../i18n/format.ts';
import { ACTIONS, editLink } from './actions.ts';
import { dropHandler, pasteHandler, setUploadStatus, type UploadStatus } from './body-images.ts';
import { BodyEmbed, BodyImage } from './figures.ts';
import { cleanPastedHtml } from './paste.ts';
import { buildToolbar } from './toolbar.ts';

let counter = 0;

/** The form's body_format field, made when the form has none. */
function formatField(form: HTMLFormElement): HTMLInputElement {
  const existing = form.elements.namedItem('body_format');
  if (existing instanceof HTMLInputElement) return existing;
  const input = form.ownerDocument.createElement('input');
  input.type = 'hidden';
  input.name = 'body_format';
  input.value = 'markdown';
  form.append(input);
  return input;
}

/** The HTML to start from, or null when the body is Markdown the form gave no HTML for. */
function startingHtml(textarea: HTMLTextAreaElement, format: string): string | null {
  if (format === 'html') return textarea.value;
  if (textarea.dataset.bodyHtml !== undefined) return textarea.dataset.bodyHtml;
  return textarea.value.trim() === '' ? '' : null;
}

/** The form's language control (a select or input named "language"), if it has one. */
function languageField(form: HTMLFormElement): HTMLSelectElement | HTMLInputElement | null {
  const field = form.elements.namedItem('language');
  return field instanceof HTMLSelectElement || field instanceof HTMLInputElement ? field : null;
}

/** The label of the textarea, given an id so the editing surface can be named by it. */
function labelOf(textarea: HTMLTextAreaElement): HTMLLabelElement | null {
  const label = textarea.labels?.[0] ?? null;
  if (label && !label.id) label.id = `body-editor-label-${++counter}`;
  return label;
}

/** Attributes of the editing surface: a labelled multi-line text box in the article's language and direction. */
function surfaceAttributes(textarea: HTMLTextAreaElement, label: HTMLLabelElement | null, language: string): Record<string, string> {
  const attrs: Record<string, string> = { role: 'textbox', 'aria-multiline': 'true', class: 'body-editor-surface', lang: language, dir: directionOf(language) };
  if (label) attrs['aria-labelledby'] = label.id;
  const described = textarea.getAttribute('aria-describedby');
  if (described) attrs['aria-describedby'] = described;
  if (textarea.getAttribute('aria-invalid') === 'true') attrs['aria-invalid'] = 'true';
  return attrs;
}

/** A live region under the toolbar telling what happened to pictures being uploaded. */
function uploadStatus(doc: Document): UploadStatus & { element: HTMLElement } {
  const element = doc.createElement('p');
  element.className = 'body-editor-status';
  element.setAttribute('role', 'status');
  element.hidden = true;
  return {
    element,
    say(text, problem = false) {
      element.textContent = text;
      element.classList.toggle('is-problem', problem);
      element.hidden = text === '';
    },
  };
}

/** Turns one body textarea into the editor; returns the editor, or null when the body must stay Markdown. */
export function enhanceBody(textarea: HTMLTextAreaElement): Editor | null {
  const form = textarea.form;
  if (!form || textarea.dataset.bodyEditorReady) return null;
  const format = formatField(form);
  const html = startingHtml(textarea, format.value);
  if (html === null) return null;
  textarea.dataset.bodyEditorReady = 'true';

  const doc = textarea.ownerDocument;
  const wrapper = doc.createElement('div');
  wrapper.className = 'body-editor';
  const mount = doc.createElement('div');
  const language = languageField(form);
  const label = labelOf(textarea);
  const languageNow = () => language?.value || doc.documentElement.lang || 'en';
  const status = uploadStatus(doc);
  // The handlers need the editor they belong to, made just below.
  let self: Editor | null = null;
  const current = () => self!;

  const editor = new Editor({
    element: mount,
    injectCSS: false,
    extensions: [
      StarterKit.configure({
        heading: { levels: [2, 3, 4] },
        codeBlock: false,
        strike: false,
        underline: false,
        link: { openOnClick: false, autolink: true, defaultProtocol: 'https', HTMLAttributes: { target: null, rel: null } },
      }),
      BodyImage,
      BodyEmbed,
    ],
    content: html,
    editorProps: {
      attributes: surfaceAttributes(textarea, label, languageNow()),
      transformPastedHTML: cleanPastedHtml,
      handleDrop: dropHandler(current, status),
      handlePaste: pasteHandler(current, status),
      handleKeyDown: (_view, event) => {
        // Mod-k: the link dialog, as in word processors.
        if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k') {
          event.preventDefault();
          void editLink(editor);
          return true;
        }
        return false;
      },
    },
  });

  self = editor;
  setUploadStatus(editor, status);
  const toolbar = buildToolbar(doc, editor, ACTIONS, 'Body formatting');
  const sync = () => {
    textarea.value = editor.isEmpty ? '' : editor.getHTML();
    format.value = 'html';
  };
  editor.on('transaction', toolbar.update);
  // Scripts listening to the form (autosave, the unsaved-changes warning) hear the body change as they
  // would hear typing in the textarea.
  editor.on('update', () => {
    sync();
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
  });
  form.addEventListener('submit', sync);
  form.addEventListener('formdata', sync);
  language?.addEventListener('change', () => editor.setOptions({ editorProps: { ...editor.options.editorProps, attributes: surfaceAttributes(textarea, label, languageNow()) } }));
  label?.addEventListener('click', () => editor.commands.focus());

  wrapper.append(toolbar.element, status.element, mount);
  textarea.after(wrapper);
  textarea.hidden = true;
  // A hidden control the browser must validate would block the form with no message a person can see.
  textarea.required = false;
  sync();
  return editor;
}

/** Enhances every body textarea marked data-body-editor under `root`. */
export function enhanceAll(root: ParentNode): Editor[] {
  return Array.from(root.querySelectorAll<HTMLTextAreaElement>('textarea[name="body"][data-body-editor]'))
    .map(enhanceBody)
    .filter((e): e is Editor => e !== null);
}
