// The media library as the article form reaches it (the body editor and the lead image picker share it):
// uploads a file (multipart, the session's token first, JSON answer), searches the library
// (GET /admin/media.json), saves a picture's text, and a dialog to choose a picture or upload one.
import type { PickerItem } from '../media.ts';
import { askFor } from './dialog.ts';

export type { PickerItem } from '../media.ts';

export const UPLOAD_URL = '/admin/media';
export const SEARCH_URL = '/admin/media.json';
const ACCEPT = 'image/jpeg,image/png,image/webp,image/avif,image/gif';

/** The session's token, from the form the control sits in (or any form of the page). */
export function csrfTokenOf(from: Element): string {
  const input = (from.closest('form') ?? from.ownerDocument).querySelector<HTMLInputElement>('input[name="_csrf"]');
  return input?.value ?? '';
}

export type Uploaded = { ok: true; item: PickerItem } | { ok: false; reason: string };

/** Why the server refused, naming the file (its field messages already do). */
function reasonOf(fileName: string, status: number, body: unknown): string {
  const error = (body as { error?: { message?: string; fields?: Record<string, string> } } | null)?.error;
  const text = error?.fields?.file ?? error?.message ?? `the server answered ${status}`;
  return text.includes(fileName) ? text : `${fileName}: ${text}`;
}

/** Uploads one picture to the library. */
export async function uploadPicture(file: File, token: string): Promise<Uploaded> {
  const data = new FormData();
  data.append('_csrf', token);
  data.append('file', file, file.name);
  try {
    const response = await fetch(UPLOAD_URL, { method: 'POST', body: data, headers: { accept: 'application/json' }, credentials: 'same-origin' });
    const body: unknown = await response.json().catch(() => null);
    if (response.status === 201) return { ok: true, item: (body as { image: PickerItem }).image };
    return { ok: false, reason: reasonOf(file.name, response.status, body) };
  } catch {
    return { ok: false, reason: `${file.name}: the server could not be reached. Try again.` };
  }
}

export async function searchPictures(q: string, page = 1): Promise<{ images: PickerItem[]; more: boolean }> {
  const response = await fetch(`${SEARCH_URL}?${new URLSearchParams({ q, page: String(page) })}`, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (!response.ok) throw new Error(`the library answered ${response.status}`);
  return (await response.json()) as { images: PickerItem[]; more: boolean };
}

export interface PictureText {
  alt: string;
  decorative: boolean;
  caption: string;
  credit: string;
}

/** Saves a picture's alt text, caption and credit in the library (the focal point stays). */
export async function savePictureText(item: PickerItem, text: PictureText, token: string): Promise<PickerItem | null> {
  const body = new URLSearchParams({ alt: text.alt, caption: text.caption, credit: text.credit });
  if (text.decorative) body.set('decorative', 'on');
  try {
    const response = await fetch(item.editUrl, { method: 'POST', body, headers: { accept: 'application/json', 'x-csrf-token': token }, credentials: 'same-origin' });
    return response.ok ? ((await response.json()) as { image: PickerItem }).image : null;
  } catch {
    return null;
  }
}

/** Asks for a picture's alt text (or decorative), caption and credit, starting from what the library holds. */
export async function askPictureText(doc: Document, title: string, start: PictureText, submit: string): Promise<PictureText | null> {
  const values = await askFor(
    doc,
    title,
    [
      { name: 'alt', label: 'Alt text', value: start.alt, required: true, optionalWhen: 'decorative', hint: 'What the picture shows, for readers who cannot see it.' },
      { name: 'decorative', label: 'Decorative: it adds nothing a reader needs', type: 'checkbox', checked: start.decorative },
      { name: 'caption', label: 'Caption', value: start.caption },
      { name: 'credit', label: 'Credit', value: start.credit, hint: 'e.g. Photo: Name / Agency' },
    ],
    submit,
  );
  if (!values) return null;
  return { alt: values.decorative ? '' : String(values.alt), decorative: values.decorative === true, caption: String(values.caption), credit: String(values.credit) };
}

/**
 * After a fresh upload, or a library picture with no description yet: asks for its text and saves it in
 * the library too (a lead image needs it there). Resolves to the text for this use, or null if cancelled.
 */
export async function describePicture(doc: Document, item: PickerItem, fresh: boolean, token: string, submit: string): Promise<{ item: PickerItem; text: PictureText } | null> {
  const start = { alt: item.alt, decorative: item.decorative, caption: item.caption, credit: item.credit };
  const text = await askPictureText(doc, fresh ? `Describe ${item.fileName}` : 'Picture details', start, submit);
  if (!text) return null;
  const undescribed = !item.alt && !item.decorative;
  if (fresh || undescribed) return { item: (await savePictureText(item, text, token)) ?? item, text };
  return { item, text };
}

export type Chosen = { item: PickerItem; fresh: boolean } | { byAddress: true } | null;

let counter = 0;

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = Object.assign(doc.createElement(tag), props);
  node.append(...children);
  return node;
}

function pictureButton(doc: Document, item: PickerItem, choose: (item: PickerItem) => void): HTMLLIElement {
  const img = el(doc, 'img', { src: item.thumb.src, width: item.thumb.width, height: item.thumb.height, alt: '', loading: 'lazy' });
  const name = el(doc, 'span', { className: 'picker-name' }, item.fileName);
  const button = el(doc, 'button', { type: 'button' }, img, name);
  button.setAttribute('aria-label', `${item.fileName}${item.alt ? `: ${item.alt}` : ''}`);
  if (!item.alt && !item.decorative) button.append(el(doc, 'span', { className: 'label label-warn' }, 'No alt text'));
  button.addEventListener('click', () => choose(item));
  return el(doc, 'li', {}, button);
}

/**
 * A dialog to choose a picture from the library (searched as one types) or upload a new one. With
 * `byAddress`, it also offers to give an image's address instead (the body editor's old way).
 */
export function chooseFromLibrary(doc: Document, token: string, options: { title: string; byAddress?: boolean }): Promise<Chosen> {
  const id = `picker-${++counter}`;
  const dialog = el(doc, 'dialog', { className: 'picker-dialog' });
  dialog.setAttribute('aria-labelledby', `${id}-title`);
  const title = el(doc, 'h2', { id: `${id}-title` }, options.title);
  const search = el(doc, 'input', { type: 'search', id: `${id}-q`, name: 'q', autocomplete: 'off' });
  const searchRow = el(doc, 'p', { className: 'field' }, el(doc, 'label', { htmlFor: search.id }, 'Find by name, alt text, caption or credit'), search);
  const status = el(doc, 'p', { className: 'picker-status hint' });
  status.setAttribute('role', 'status');
  const grid = el(doc, 'ul', { className: 'picker-grid' });
  grid.setAttribute('aria-label', 'Pictures in the library');
  const more = el(doc, 'button', { type: 'button', className: 'button secondary', hidden: true }, 'More pictures');
  const file = el(doc, 'input', { type: 'file', id: `${id}-file`, accept: ACCEPT });
  const fileHint = el(doc, 'span', { className: 'hint', id: `${id}-file-hint` }, 'Or drop it here. It is added to the media library; location and camera serials are removed.');
  file.setAttribute('aria-describedby', fileHint.id);
  const fileError = el(doc, 'p', { className: 'field-error', hidden: true });
  fileError.setAttribute('role', 'alert');
  const upload = el(doc, 'div', { className: 'picker-upload field' }, el(doc, 'label', { htmlFor: file.id }, 'Upload a picture'), file, fileHint, fileError);
  const cancel = el(doc, 'button', { type: 'button', className: 'button secondary' }, 'Cancel');
  const actions = el(doc, 'div', { className: 'actions' });
  if (options.byAddress) {
    const address = el(doc, 'button', { type: 'button', className: 'button secondary' }, 'Use an image address instead');
    address.addEventListener('click', () => finish({ byAddress: true }));
    actions.append(address);
  }
  actions.append(cancel);
  dialog.append(title, upload, searchRow, status, grid, more, actions);
  doc.body.append(dialog);

  let result: Chosen = null;
  let page = 1;
  let query = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const finish = (chosen: Chosen) => {
    result = chosen;
    dialog.close();
  };
  const choose = (item: PickerItem) => finish({ item, fresh: false });

  async function load(reset: boolean) {
    if (reset) page = 1;
    status.textContent = 'Loading…';
    try {
      const found = await searchPictures(query, page);
      if (reset) grid.replaceChildren();
      grid.append(...found.images.map((item) => pictureButton(doc, item, choose)));
      more.hidden = !found.more;
      const count = grid.children.length;
      status.textContent = count ? `${count}${found.more ? '+' : ''} picture${count === 1 ? '' : 's'}${query ? ` matching “${query}”` : ''}.` : query ? `No picture matches “${query}”.` : 'No pictures in the library yet: upload one below.';
    } catch (error) {
      status.textContent = `The library could not be read (${error instanceof Error ? error.message : 'unknown error'}).`;
    }
  }

  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      query = search.value.trim();
      void load(true);
    }, 250);
  });
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') e.preventDefault();
  });
  more.addEventListener('click', () => {
    page += 1;
    void load(false);
  });
  // A file dropped on the upload area is taken as if chosen.
  upload.addEventListener('dragover', (e) => {
    if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
  });
  upload.addEventListener('drop', (e) => {
    const dropped = e.dataTransfer?.files[0];
    if (!dropped) return;
    e.preventDefault();
    void take(dropped);
  });
  file.addEventListener('change', () => {
    const chosen = file.files?.[0];
    if (chosen) void take(chosen);
  });
  async function take(chosen: File) {
    fileError.hidden = true;
    file.disabled = true;
    status.textContent = `Uploading ${chosen.name}…`;
    const answer = await uploadPicture(chosen, token);
    file.disabled = false;
    file.value = '';
    if (answer.ok) return finish({ item: answer.item, fresh: true });
    status.textContent = '';
    fileError.textContent = answer.reason;
    fileError.hidden = false;
    file.setAttribute('aria-invalid', 'true');
  }
  cancel.addEventListener('click', () => finish(null));

  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      clearTimeout(timer);
      dialog.remove();
      resolve(result);
    });
    dialog.showModal();
    search.focus();
    void load(true);
  });
}
