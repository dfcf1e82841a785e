// A tagged template that escapes every interpolated value unless it is already SafeHtml.
// Views are plain typed functions built on it, so the type checker sees every field a page uses.

/** HTML that is known to be safe to emit as it is. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for use in element content or a quoted attribute value. */
const SPECIAL = /[&<>"']/;

export function escapeHtml(text: string): string {
  // Most values (names, dates, addresses) have nothing to escape: no new string is made for them.
  return SPECIAL.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c) : text;
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** Builds SafeHtml from a template, escaping each value. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i] as Interpolation) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Marks a string produced by a trusted renderer (markdown-it with HTML disabled, JSON-LD serialiser). */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
