// What the toolbar offers, in the order it shows them, with the keyboard shortcuts (StarterKit's own,
// plus Mod-k for a link). Links, images and embeds ask for their details in a dialog; a new image comes
// from the media library (body-images.ts).
import type { Editor } from '@tiptap/core';
import { NodeSelection } from '@tiptap/pm/state';
import { insertFromLibrary, uploadStatusOf } from './body-images.ts';
import { askFor } from './dialog.ts';
import { askPictureText } from './media-library.ts';
import { insertFigure, type EmbedFields, type ImageFields } from './figures.ts';
import type { ToolbarAction } from './toolbar.ts';

const heading = (level: 2 | 3 | 4, label: string): ToolbarAction => ({
  label,
  shortcut: `Mod-Alt-${level}`,
  run: (e) => e.chain().focus().toggleHeading({ level }).run(),
  active: (e) => e.isActive('heading', { level }),
});

/** The attributes of the selected node when it is of `type` (to edit an image or embed in place). */
function selectedAttrs<T>(editor: Editor, type: string): T | null {
  const { selection } = editor.state;
  return selection instanceof NodeSelection && selection.node.type.name === type ? (selection.node.attrs as T) : null;
}

/** What a link may point to: the schemes the server keeps (src/lib/body-html.ts), a path of the site or a fragment. */
const LINK_PATTERN = { regex: '(https?://|mailto:|tel:|/|#).*', message: 'Give an address starting with https://, http://, mailto:, tel: or / (a page of this site).' };

/** Asks for a link's address: adds, changes or (left empty) removes the link on the selection. */
export async function editLink(editor: Editor): Promise<void> {
  const current = (editor.getAttributes('link').href as string | undefined) ?? '';
  const values = await askFor(document, 'Link', [{ name: 'href', label: 'Link address', type: 'text', value: current, hint: 'A web address (https://…), a page of this site (/news/…) or mailto:. Leave empty to remove the link.', pattern: LINK_PATTERN }], 'Apply');
  if (!values) return void editor.commands.focus();
  const href = String(values.href);
  const chain = editor.chain().focus().extendMarkRange('link');
  if (!href) return void chain.unsetLink().run();
  if (editor.state.selection.empty && !current) {
    editor.chain().focus().insertContent({ type: 'text', text: href, marks: [{ type: 'link', attrs: { href } }] }).run();
    return;
  }
  chain.setLink({ href }).run();
}

async function editImage(editor: Editor): Promise<void> {
  const current = selectedAttrs<ImageFields>(editor, 'bodyImage');
  // A new image comes from the media library, unless the person asks to give an address instead.
  if (!current && (await insertFromLibrary(editor, uploadStatusOf(editor)))) return;
  if (current && current.mediaId !== null) {
    const text = await askPictureText(document, 'Edit picture', { alt: current.alt, decorative: current.alt === '', caption: current.caption, credit: current.credit }, 'Save picture');
    if (!text) return void editor.commands.focus();
    editor.chain().focus().updateAttributes('bodyImage', { alt: text.alt, caption: text.caption, credit: text.credit }).run();
    return;
  }
  const values = await askFor(
    document,
    current ? 'Edit image' : 'Insert image',
    [
      { name: 'src', label: 'Image address', type: 'url', value: current?.src ?? '', required: true, hint: 'https://…' },
      { name: 'alt', label: 'Alternative text', value: current?.alt ?? '', required: true, optionalWhen: 'decorative', hint: 'What the image shows, for readers who cannot see it.' },
      { name: 'decorative', label: 'Decorative: the image adds nothing a reader needs', type: 'checkbox', checked: current !== null && current.alt === '' },
      { name: 'caption', label: 'Caption', value: current?.caption ?? '' },
      { name: 'credit', label: 'Credit', value: current?.credit ?? '', hint: 'e.g. Photo: Name / Agency' },
    ],
    current ? 'Save image' : 'Insert image',
  );
  if (!values) return void editor.commands.focus();
  const attrs: ImageFields = { src: String(values.src), alt: values.decorative ? '' : String(values.alt), caption: String(values.caption), credit: String(values.credit), mediaId: null };
  if (current) editor.chain().focus().updateAttributes('bodyImage', attrs).run();
  else insertFigure(editor, { type: 'bodyImage', attrs });
}

async function editEmbed(editor: Editor): Promise<void> {
  const current = selectedAttrs<EmbedFields>(editor, 'bodyEmbed');
  const values = await askFor(
    document,
    current ? 'Edit embed' : 'Embed',
    [
      { name: 'url', label: 'Address of the post, video or document', type: 'url', value: current?.url ?? '', required: true, hint: 'Readers see a captioned link to it.' },
      { name: 'caption', label: 'Caption', value: current?.caption ?? '' },
    ],
    current ? 'Save embed' : 'Embed',
  );
  if (!values) return void editor.commands.focus();
  const attrs: EmbedFields = { url: String(values.url), caption: String(values.caption) };
  if (current) editor.chain().focus().updateAttributes('bodyEmbed', attrs).run();
  else insertFigure(editor, { type: 'bodyEmbed', attrs });
}

export const ACTIONS: readonly ToolbarAction[] = [
  heading(2, 'Heading'),
  heading(3, 'Subheading'),
  heading(4, 'Minor heading'),
  { label: 'Bold', shortcut: 'Mod-b', run: (e) => e.chain().focus().toggleBold().run(), active: (e) => e.isActive('bold') },
  { label: 'Italic', shortcut: 'Mod-i', run: (e) => e.chain().focus().toggleItalic().run(), active: (e) => e.isActive('italic') },
  { label: 'Link', shortcut: 'Mod-k', run: (e) => void editLink(e), active: (e) => e.isActive('link') },
  { label: 'Quotation', shortcut: 'Mod-Shift-b', run: (e) => e.chain().focus().toggleBlockquote().run(), active: (e) => e.isActive('blockquote') },
  { label: 'Bulleted list', shortcut: 'Mod-Shift-8', run: (e) => e.chain().focus().toggleBulletList().run(), active: (e) => e.isActive('bulletList') },
  { label: 'Numbered list', shortcut: 'Mod-Shift-7', run: (e) => e.chain().focus().toggleOrderedList().run(), active: (e) => e.isActive('orderedList') },
  { label: 'Image', run: (e) => void editImage(e) },
  { label: 'Embed', run: (e) => void editEmbed(e) },
  { label: 'Undo', shortcut: 'Mod-z', run: (e) => e.chain().focus().undo().run() },
  { label: 'Redo', shortcut: 'Mod-Shift-z', run: (e) => e.chain().focus().redo().run() },
];
