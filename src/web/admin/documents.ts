// Admin views of primary documents: the upload form and the list of held files with their SHA-256.
import { html, type SafeHtml } from '../../lib/html.ts';
import type { StoredDocument } from '../../documents/document.service.ts';
import { button, csrfField, errorSummary, notice, textField } from './forms.ts';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export interface DocumentsView {
  csrfToken: string;
  documents: readonly StoredDocument[];
  query: string;
  maxMegabytes: number;
  upload: { title: string; fields: Readonly<Record<string, string>> };
  uploaded?: StoredDocument;
}

export function documentsPage(v: DocumentsView): SafeHtml {
  return html`<h1>Documents</h1>
<p class="lead">Primary documents your reporting rests on. Readers can download a document, and check its SHA-256, once an article that cites it is published.</p>
${v.uploaded ? notice('success', html`Uploaded <strong>${v.uploaded.title}</strong> (${formatBytes(v.uploaded.sizeBytes)}). SHA-256 <code>${v.uploaded.sha256}</code>. Attach it to a source in an article.`) : ''}
<section class="panel" aria-labelledby="upload-heading">
<h2 id="upload-heading">Upload a document</h2>
${errorSummary(v.upload.fields)}
<form method="post" action="/admin/documents" enctype="multipart/form-data" novalidate>
${csrfField(v.csrfToken)}
${textField({ name: 'title', label: 'Title', value: v.upload.title, error: v.upload.fields.title, hint: 'As readers will see it, e.g. "Classified memo of 3 March". Left empty, the file name is used.', maxlength: 300 })}
<div class="field${v.upload.fields.file ? ' has-error' : ''}">
<label for="file">File</label>
<input id="file" name="file" type="file" accept="application/pdf,image/jpeg,image/png,image/webp,image/gif,image/avif" aria-describedby="file-hint${v.upload.fields.file ? ' file-error' : ''}"${v.upload.fields.file ? html` aria-invalid="true"` : ''} required>
<p class="hint" id="file-hint">A PDF or an image (JPEG, PNG, WebP, GIF, AVIF), at most ${v.maxMegabytes} MB. The file is kept exactly as uploaded.</p>
${v.upload.fields.file ? html`<p class="field-error" id="file-error">${v.upload.fields.file}</p>` : ''}
</div>
<div class="actions">${button('Upload', { kind: 'primary' })}</div>
</form>
</section>
<form method="get" action="/admin/documents" class="filters" role="search">
${textField({ name: 'q', label: 'Find a document', value: v.query, type: 'search' })}
<div class="actions">${button('Find')}</div>
</form>
${documentTable(v.documents, v.query)}`;
}

/** Held documents as a table (title linking to the file, name and type, size, SHA-256), or a line saying there are none. */
export function documentTable(documents: readonly StoredDocument[], query: string): SafeHtml {
  return documents.length
    ? html`<table class="list">
<caption class="visually-hidden">Documents, newest first</caption>
<thead><tr><th scope="col">Title</th><th scope="col">File</th><th scope="col">Size</th><th scope="col">SHA-256</th></tr></thead>
<tbody>
${documents.map(
  (d) => html`<tr><td><a href="/admin/documents/${d.id}/file">${d.title}</a></td><td>${d.fileName}<br><span class="hint">${d.mediaType}</span></td><td>${formatBytes(d.sizeBytes)}</td><td><code class="hash">${d.sha256}</code></td></tr>`,
)}
</tbody>
</table>`
    : html`<p class="empty-state">${query ? 'No document matches.' : 'No documents yet.'}</p>`;
}
