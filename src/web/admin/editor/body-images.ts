// Pictures in the body from the media library: the toolbar's Image button opens the library (choose one,
// or upload one there), and a picture file dropped on or pasted into the editor is uploaded. Each becomes
// a figure with the library's id (data-media-id, kept by the server's cleaner), its alt text, caption
// and credit asked in the dialog, starting from what the library holds. A fresh upload's text is saved
// in the library too.
import type { Editor } from '@tiptap/core';
import type { EditorView } from '@tiptap/pm/view';
import { insertFigure, type ImageFields } from './figures.ts';
import { chooseFromLibrary, csrfTokenOf, describePicture, uploadPicture, type PickerItem } from './media-library.ts';

/** Where the editor tells what happened to an upload (a live region under the toolbar). */
export interface UploadStatus {
  say(text: string, problem?: boolean): void;
}

const IMAGE_TYPE = /^image\//;

const statuses = new WeakMap<Editor, UploadStatus>();
/** Ties an editor to its status region (set up by enhanceBody). */
export function setUploadStatus(editor: Editor, status: UploadStatus): void {
  statuses.set(editor, status);
}
export const uploadStatusOf = (editor: Editor): UploadStatus => statuses.get(editor) ?? { say: () => undefined };

function figureOf(item: PickerItem, text: { alt: string; caption: string; credit: string }): { type: string; attrs: ImageFields } {
  return { type: 'bodyImage', attrs: { src: item.src, alt: text.alt, caption: text.caption, credit: text.credit, mediaId: item.id } };
}

/** Asks for the picture's text, then inserts it at `at` (or the cursor). */
async function describeAndInsert(editor: Editor, item: PickerItem, fresh: boolean, at: number | null): Promise<boolean> {
  const token = csrfTokenOf(editor.options.element as Element);
  const described = await describePicture(document, item, fresh, token, 'Insert picture');
  if (!described) {
    editor.commands.focus();
    return false;
  }
  const node = figureOf(described.item, { ...described.text });
  if (at === null) insertFigure(editor, node);
  else editor.chain().focus().insertContentAt(Math.min(at, editor.state.doc.content.size), node).run();
  return true;
}

/**
 * The toolbar's Image: the library dialog. Resolves to true when it handled the choice, false when the
 * person asked for an image by address instead (the caller's old dialog).
 */
export async function insertFromLibrary(editor: Editor, status: UploadStatus): Promise<boolean> {
  const token = csrfTokenOf(editor.options.element as Element);
  const chosen = await chooseFromLibrary(document, token, { title: 'Insert a picture', byAddress: true });
  if (chosen && 'byAddress' in chosen) return false;
  if (!chosen) {
    editor.commands.focus();
    return true;
  }
  if (await describeAndInsert(editor, chosen.item, chosen.fresh, null)) status.say(`${chosen.item.fileName} inserted.`);
  return true;
}

/** Uploads picture files one after another and inserts each where they were dropped (or at the cursor). */
export async function uploadAndInsert(editor: Editor, files: readonly File[], at: number | null, status: UploadStatus): Promise<void> {
  const token = csrfTokenOf(editor.options.element as Element);
  let position = at;
  for (const file of files) {
    status.say(`Uploading ${file.name}…`);
    const answer = await uploadPicture(file, token);
    if (!answer.ok) {
      status.say(answer.reason, true);
      continue;
    }
    if (await describeAndInsert(editor, answer.item, true, position)) status.say(`${file.name} uploaded and inserted.`);
    else status.say(`${file.name} was added to the media library but not inserted.`);
    position = null;
  }
}

const imageFiles = (list: FileList | null | undefined): File[] => [...(list ?? [])].filter((f) => IMAGE_TYPE.test(f.type));

/** editorProps.handleDrop: picture files dropped from outside are uploaded; anything else is ProseMirror's. */
export function dropHandler(editor: () => Editor, status: UploadStatus) {
  return (view: EditorView, event: DragEvent, _slice: unknown, moved: boolean): boolean => {
    if (moved) return false;
    const files = imageFiles(event.dataTransfer?.files);
    if (!files.length) return false;
    event.preventDefault();
    const at = view.posAtCoords({ left: event.clientX, top: event.clientY })?.pos ?? null;
    void uploadAndInsert(editor(), files, at, status);
    return true;
  };
}

/** editorProps.handlePaste: a pasted picture (a screenshot, a copied file) is uploaded. */
export function pasteHandler(editor: () => Editor, status: UploadStatus) {
  return (_view: EditorView, event: ClipboardEvent): boolean => {
    const files = imageFiles(event.clipboardData?.files);
    if (!files.length) return false;
    event.preventDefault();
    void uploadAndInsert(editor(), files, null, status);
    return true;
  };
}
