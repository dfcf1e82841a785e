// The article form's Body field: a labelled textarea that the body editor (admin/editor/, loaded as the
// admin asset editor.js) turns into a rich-text editor, and the body's format beside it. Without the
// script, the textarea is the field. Decision 0021.
import type { BodyFormat } from '../../articles/article.body.ts';
import { html, type SafeHtml } from '../../lib/html.ts';
import { textArea } from './forms.ts';

export interface BodyFieldOptions {
  /** The body as stored (or as typed, when the form comes back with errors). */
  value: string;
  format: BodyFormat;
  /**
   * For a Markdown body: its rendered HTML (the article's body_html), so the editor can open it (it is
   * saved as HTML). Left out, a Markdown body stays in the plain textarea.
   */
  renderedHtml?: string | null;
  label?: string;
  error?: string | undefined;
  hint?: string | undefined;
  dir?: 'ltr' | 'rtl' | 'auto';
  rows?: number;
}

/** The Body textarea marked for the editor, and the hidden body_format field the editor sets to html. */
export function bodyField(f: BodyFieldOptions): SafeHtml {
  const rendered = f.format === 'markdown' && f.renderedHtml != null ? html` data-body-html="${f.renderedHtml}"` : '';
  return html`${textArea({ name: 'body', label: f.label ?? 'Body', value: f.value, error: f.error, hint: f.hint, rows: f.rows ?? 20, ...(f.dir && { dir: f.dir }), attrs: html`data-body-editor${rendered}` })}
<input type="hidden" name="body_format" value="${f.format}">`;
}
