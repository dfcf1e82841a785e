// Admin views of the media library: the grid of pictures with its upload field (a plain multipart form;
// the library's script adds dropping and several files at once), the documents tab, and a picture's
// screen (preview with its focal point, the crops it makes, its text, where it is used, replace, delete).
import { html, type SafeHtml } from '../../lib/html.ts';
import type { ImageItem, ImageUse } from '../../media/image.service.ts';
import type { StoredDocument } from '../../documents/document.service.ts';
import { documentTable, formatBytes } from './documents.ts';
import { button, checkboxField, csrfField, errorSummary, listTime, notice, textArea, textField } from './forms.ts';

/** A picture as the article form's picker and the body editor receive it (GET /admin/media.json). */
export interface PickerItem {
  id: number;
  fileName: string;
  alt: string;
  decorative: boolean;
  caption: string;
  credit: string;
  width: number;
  height: number;
  /** The whole picture at a middle width (what the editor shows in the body). */
  src: string;
  /** The 3:2 card, for grids. */
  thumb: { src: string; srcset: string; width: number; height: number };
  editUrl: string;
}

export type LibraryTab = 'images' | 'documents';

/** The types the upload field offers (the server judges by content anyway). */
export const IMAGE_ACCEPT = 'image/jpeg,image/png,image/webp,image/avif,image/gif';

export interface LibraryView {
  csrfToken: string;
  tab: LibraryTab;
  query: string;
  images: readonly ImageItem[];
  documents: readonly StoredDocument[];
  page: number;
  more: boolean;
  maxMegabytes: number;
  /** Errors of a refused upload (the file field names the file and the reason). */
  fields: Readonly<Record<string, string>>;
  message?: string;
}

const libraryUrl = (tab: LibraryTab, q: string, page = 1) => {
  const params = new URLSearchParams(Object.entries({ type: tab === 'documents' ? 'documents' : '', q, page: page > 1 ? String(page) : '' }).filter(([, v]) => v !== ''));
  const s = params.toString();
  return s ? `/admin/media?${s}` : '/admin/media';
};

function tabs(v: LibraryView): SafeHtml {
  const tab = (key: LibraryTab, label: string) => html`<li><a href="${libraryUrl(key, v.query)}"${v.tab === key ? html` aria-current="page"` : ''}>${label}</a></li>`;
  return html`<nav class="media-tabs" aria-label="Type of media"><ul>${tab('images', 'Images')}${tab('documents', 'Documents')}</ul></nav>`;
}

/** The upload form: works as it is; the library's script turns it into a drop zone with progress. */
export function uploadForm(v: { csrfToken: string; maxMegabytes: number; error?: string | undefined }): SafeHtml {
  const error = v.error;
  return html`<form method="post" action="/admin/media" enctype="multipart/form-data" class="media-upload panel" novalidate data-media-upload>
${csrfField(v.csrfToken)}
<div class="field dropzone${error ? ' has-error' : ''}" data-dropzone>
<label for="file">Upload pictures</label>
<p class="hint" id="file-hint">JPEG, PNG, WebP, AVIF or GIF, at most ${v.maxMegabytes} MB each; a PDF is kept as a primary document. <span data-drop-hint hidden>Drop files here, or choose them.</span> Location and camera serial numbers are removed.</p>
<input id="file" name="file" type="file" accept="${IMAGE_ACCEPT},application/pdf" aria-describedby="file-hint${error ? ' file-error' : ''}"${error ? html` aria-invalid="true"` : ''}>
${error ? html`<p class="field-error" id="file-error">${error}</p>` : ''}
<ul class="upload-list" data-upload-list aria-live="polite"></ul>
</div>
<div class="actions" data-upload-button>${button('Upload', { kind: 'primary' })}</div>
</form>`;
}

function imageGrid(v: LibraryView): SafeHtml {
  if (!v.images.length) return html`<p class="empty-state">${v.query ? 'No picture matches.' : 'No pictures yet. Upload the first one above.'}</p>`;
  return html`<ul class="media-grid" data-media-grid>
${v.images.map(
  (i) => html`<li><a href="/admin/media/${i.id}" class="media-card">
<img src="${i.card.src}" srcset="${i.card.srcset}" sizes="(min-width: 60rem) 14rem, 45vw" width="${i.card.width}" height="${i.card.height}" alt="" loading="lazy" decoding="async">
<span class="media-card-name" dir="auto">${i.fileName}</span>
<span class="media-card-meta">${i.width}×${i.height} · ${formatBytes(i.sizeBytes)}${!i.alt && !i.decorative ? html`<br><span class="label label-warn">No alt text</span>` : ''}</span>
</a></li>`,
)}
</ul>
${v.page > 1 || v.more
  ? html`<nav class="pager" aria-label="Pages">${v.page > 1 ? html`<a href="${libraryUrl('images', v.query, v.page - 1)}">Newer</a>` : ''}<span>Page ${v.page}</span>${v.more ? html`<a href="${libraryUrl('images', v.query, v.page + 1)}">Older</a>` : ''}</nav>`
  : ''}`;
}

function documentList(v: LibraryView): SafeHtml {
  return html`<p><a class="button secondary" href="/admin/documents">Upload a document</a></p>
${documentTable(v.documents, v.query)}`;
}

export function libraryPage(v: LibraryView): SafeHtml {
  const images = v.tab === 'images';
  return html`<div class="page-head"><h1>Media</h1></div>
<p class="lead">Pictures for articles, and the primary documents reporting rests on.</p>
${v.message ? notice('success', v.message) : ''}
${tabs(v)}
${images ? uploadForm({ csrfToken: v.csrfToken, maxMegabytes: v.maxMegabytes, error: v.fields.file }) : ''}
<form method="get" action="/admin/media" class="filters media-search" role="search" aria-label="Find ${images ? 'pictures' : 'documents'}">
${images ? '' : html`<input type="hidden" name="type" value="documents">`}
${textField({ name: 'q', label: images ? 'Find by name, alt text, caption or credit' : 'Find a document', value: v.query, type: 'search', id: 'media-q' })}
<div class="actions">${button('Find')}${v.query ? html` <a class="button secondary" href="${libraryUrl(v.tab, '')}">Show all</a>` : ''}</div>
</form>
${images ? imageGrid(v) : documentList(v)}`;
}

// ---- one picture ----

export interface ImagePageView {
  csrfToken: string;
  item: ImageItem & { uses: ImageUse[] };
  /** The edit form as typed, when it came back with errors. */
  form: { alt?: string; caption?: string; credit?: string; decorative?: string; focal_x?: string; focal_y?: string } | null;
  fields: Readonly<Record<string, string>>;
  message: string;
  maxMegabytes: number;
  /** Whether the account may replace or delete it (editors, or whoever uploaded it). */
  mayReplace: boolean;
}

const percent = (thousandths: number) => (thousandths / 10).toFixed(1).replace(/\.0$/, '');

function usedIn(uses: readonly ImageUse[]): SafeHtml {
  if (!uses.length) return html`<p class="hint">Not used in any article yet.</p>`;
  return html`<ul class="used-in">${uses.map(
    (u) => html`<li><a href="/admin/articles/${u.articleId}" dir="auto">${u.headline || 'Untitled'}</a> <span class="hint">${u.as.map((a) => (a === 'lead' ? 'lead image' : 'in the body')).join(' and ')} · ${u.status}</span></li>`,
  )}</ul>`;
}

export function imagePage(v: ImagePageView): SafeHtml {
  const i = v.item;
  const f = v.form;
  const decorative = f ? !!f.decorative : i.decorative;
  const fx = f?.focal_x ?? percent(i.focal.x);
  const fy = f?.focal_y ?? percent(i.focal.y);
  const editErrors = Object.fromEntries(Object.entries(v.fields).filter(([k]) => !['replace', 'delete'].includes(k)));
  return html`<p class="breadcrumb"><a href="/admin/media">Media</a></p>
<h1 dir="auto" class="media-title">${i.fileName}</h1>
${v.message ? notice('success', v.message) : ''}
${errorSummary(editErrors)}
<div class="media-item">
<div class="media-preview">
<div class="focal-picker" data-focal-picker>
<img src="${i.picture.src}" srcset="${i.picture.srcset}" sizes="(min-width: 60rem) 36rem, 100vw" width="${i.picture.width}" height="${i.picture.height}" alt="${i.alt}" data-focal-image>
<span class="focal-marker" data-focal-marker hidden></span>
</div>
<p class="hint" data-focal-hint hidden>Click or tap the picture where the subject is: automatic crops keep that point in view.</p>
<h2>Crops it makes</h2>
<div class="crop-previews">
<figure><img src="${i.card.src}" width="${i.card.width}" height="${i.card.height}" alt="" data-crop-aspect="${i.card.width / i.card.height}"><figcaption>Card in listings (3:2)</figcaption></figure>
<figure><img src="${i.social.src}" width="${i.social.width}" height="${i.social.height}" alt="" data-crop-aspect="${i.social.width / i.social.height}"><figcaption>Social image (${i.social.width}×${i.social.height})</figcaption></figure>
</div>
<p class="hint" data-crop-note hidden>A preview of the new focal point: save to make these crops.</p>
<dl class="facts">
<dt>Number</dt><dd>${i.id} <span class="hint">(the lead image field takes it)</span></dd>
<dt>Type</dt><dd>${i.mediaType}</dd>
<dt>Size</dt><dd>${i.width}×${i.height} pixels, ${formatBytes(i.sizeBytes)}</dd>
<dt>Uploaded</dt><dd>${listTime(i.createdAt, 16, { utc: true })}</dd>
<dt>SHA-256</dt><dd><code class="hash">${i.sha256}</code></dd>
<dt>Metadata</dt><dd>${i.metadataKept ? 'Kept as uploaded' : 'Location and camera serials removed'}</dd>
</dl>
<p><a href="${i.originalSrc}" download="${i.fileName}">Download the original</a></p>
</div>
<div class="media-side">
<form method="post" action="/admin/media/${i.id}" class="panel" novalidate>
${csrfField(v.csrfToken)}
<h2>Description</h2>
${textArea({ name: 'alt', label: 'Alt text', value: f?.alt ?? i.alt, error: v.fields.alt, rows: 3, dir: 'auto', hint: 'What the picture shows, for readers who cannot see it. Required unless the picture is decorative.' })}
${checkboxField({ name: 'decorative', label: 'Decorative: it adds nothing a reader needs', checked: decorative })}
${textArea({ name: 'caption', label: 'Caption', value: f?.caption ?? i.caption, error: v.fields.caption, rows: 2, dir: 'auto' })}
${textField({ name: 'credit', label: 'Credit', value: f?.credit ?? i.credit, error: v.fields.credit, dir: 'auto', hint: 'e.g. Photo: Rana Haddad / Agency', maxlength: 300 })}
<fieldset class="focal-fields">
<legend>Focal point</legend>
<p class="hint" id="focal-hint">Where the subject is, in percent of the width and height. Cards and the social image are cut around it.</p>
<div class="focal-grid">
${textField({ name: 'focal_x', label: 'From the left (%)', value: fx, error: v.fields.focal_x, type: 'number', inputmode: 'decimal' })}
${textField({ name: 'focal_y', label: 'From the top (%)', value: fy, error: v.fields.focal_y, type: 'number', inputmode: 'decimal' })}
</div>
</fieldset>
<div class="actions">${button('Save', { kind: 'primary' })}</div>
</form>
<section class="panel" aria-labelledby="used-heading">
<h2 id="used-heading">Used in</h2>
${usedIn(i.uses)}
</section>
${v.mayReplace ? replaceAndDelete(v) : html`<section class="panel" aria-labelledby="replace-heading"><h2 id="replace-heading">Replace or delete</h2><p class="hint">Only editors, or whoever uploaded it, may replace or delete this picture.</p></section>`}
</div>
</div>`;
}

/** Replacing the file and deleting the picture, for those who may. */
function replaceAndDelete(v: ImagePageView): SafeHtml {
  const i = v.item;
  return html`<section class="panel" aria-labelledby="replace-heading">
<h2 id="replace-heading">Replace the file</h2>
<form method="post" action="/admin/media/${i.id}/replace" enctype="multipart/form-data" novalidate>
${csrfField(v.csrfToken)}
<div class="field${v.fields.replace ? ' has-error' : ''}">
<label for="replace">New file</label>
<input id="replace" name="file" type="file" accept="${IMAGE_ACCEPT}" aria-describedby="replace-hint${v.fields.replace ? ' replace-error' : ''}"${v.fields.replace ? html` aria-invalid="true"` : ''}>
<p class="hint" id="replace-hint">The text, focal point and articles’ crops stay; every article showing it shows the new file. At most ${v.maxMegabytes} MB.</p>
${v.fields.replace ? html`<p class="field-error" id="replace-error">${v.fields.replace}</p>` : ''}
</div>
<div class="actions">${button('Replace')}</div>
</form>
</section>
<section class="panel" aria-labelledby="delete-heading">
<h2 id="delete-heading">Delete</h2>
${v.fields.delete ? html`<p class="field-error" id="delete-error" role="alert">${v.fields.delete}</p>` : ''}
${i.uses.length
  ? html`<p class="hint">An article uses this picture: remove it there before deleting it.</p>`
  : html`<form method="post" action="/admin/media/${i.id}/delete" data-confirm="Delete ${i.fileName}? This cannot be undone.">
${csrfField(v.csrfToken)}
<p class="hint">No article uses it. Its files are removed.</p>
<div class="actions">${button('Delete picture', { kind: 'danger' })}</div>
</form>`}
</section>`;
}
