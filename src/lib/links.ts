// Links editors type (navigation, footer, an author's profile): which addresses they may have.

const MAX_LINK_URL = 2000;

/** True for an address a link or logo may have: http(s), mailto: or a path on the site. */
export function isLinkUrl(url: string): boolean {
  // No spaces or control characters, and no backslash (browsers read "/\\host" as "//host").
  if (url.length > MAX_LINK_URL || /[\s\\\u0000-\u001f\u007f]/.test(url)) return false;
  if (url.startsWith('/')) return !url.startsWith('//');
  try {
    const parsed = new URL(url);
    return ['http:', 'https:', 'mailto:'].includes(parsed.protocol);
  } catch {
    return false;
  }
}

/** A link as editors give it: what it says and where it goes. */
export interface LabelledLink {
  label: string;
  url: string;
}

/**
 * Reads links written one per line as "Label | URL" (how the settings form takes them). Returns the
 * links, or a message naming the first line that is wrong.
 */
export function parseLinkLines(text: string): { links: LabelledLink[] } | { problem: string } {
  const links: LabelledLink[] = [];
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  for (const [i, line] of lines.entries()) {
    const bar = line.lastIndexOf('|');
    if (bar === -1) return { problem: `Line ${i + 1}: write "Label | address".` };
    links.push({ label: line.slice(0, bar).trim(), url: line.slice(bar + 1).trim() });
  }
  return { links };
}

/** The inverse of parseLinkLines, for filling the form. */
export const linkLines = (links: readonly LabelledLink[]) => links.map((l) => `${l.label} | ${l.url}`).join('\n');
