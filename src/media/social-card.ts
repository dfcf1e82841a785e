// The picture an article shows social sites, search engines and feed readers: the 1200×630 social
// rendition of its lead picture, or, when it has none, a card made here: the headline over the site's
// colours (right to left for Arabic and Persian), drawn as SVG and rasterised once by sharp (librsvg,
// with the fonts the machine has; DejaVu Sans covers Latin and Arabic) into a PNG kept in the media
// storage under a name made of everything drawn on it. A changed headline, site name or colour gives
// a new name; the old file stays for caches that still hold its address.
import { sharp } from '../lib/on-demand.ts';
import { sha256Hex } from '../lib/hash.ts';
import { escapeHtml } from '../lib/html.ts';
import { imageJob } from './image.pipeline.ts';
import { SOCIAL_SIZE } from './image.renditions.ts';
import { MEDIA_PREFIX, type ImageView } from './image.service.ts';
import type { MediaStorage } from './media.storage.ts';

/** The site's colours a generated card is drawn in (the theme's). */
export interface CardColours {
  /** Behind the headline. */
  background: string;
  /** The headline. */
  text: string;
  /** The bar along the top and the mark beside the site's name. */
  accent: string;
}

/** What a generated card shows. */
export interface CardText {
  headline: string;
  language: string;
  siteName: string;
}

/** An article's social picture as pages, JSON-LD and feeds describe it; `path` starts with /media/. */
export interface SocialImage {
  path: string;
  width: number;
  height: number;
  type: string;
  /** Bytes of the file (RSS enclosures state it). */
  size: number;
  alt: string;
  caption: string;
  credit: string;
  /** Made from the headline (the article has no lead picture). */
  generated: boolean;
}

/** The article facts the social picture is chosen from (an ArticleCard has them). */
export interface SocialSubject {
  id: number;
  headline: string;
  language: string;
  leadImage: ImageView | null;
}

const RTL = /^(ar|fa|he|ur|ps|ckb|yi|dv)(-|$)/;
const RTL_CHARS = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;
const CARD_VERSION = 1;

/** The short hash naming a generated card: of everything drawn on it. */
export function cardHash(text: CardText, colours: CardColours): string {
  const drawn = [CARD_VERSION, text.headline, text.siteName, RTL.test(text.language), colours.background, colours.text, colours.accent];
  return sha256Hex(JSON.stringify(drawn)).slice(0, 24);
}

/** Storage key of a generated card. */
export const cardKey = (hash: string) => `cards/${hash}.png`;

/** The public address of an article's generated card (the route checks the article is published). */
export const cardPath = (articleId: number, hash: string) => `${MEDIA_PREFIX}cards/${articleId}/${hash}.png`;

const MARGIN = 80;
const TEXT_WIDTH = SOCIAL_SIZE.width - 2 * MARGIN;
/** Average advance of a bold DejaVu Sans character, in ems (measured for Latin and Arabic headlines). */
const EM_PER_CHAR = 0.6;
const SIZES = [76, 68, 60, 52, 46] as const;
const MAX_LINES = 5;

/** Greedy word wrap for an estimated line length in characters. */
function wrap(words: readonly string[], perLine: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= perLine || !line) line = next;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** The headline in lines at the largest size that fits; cut with an ellipsis when even the smallest does not. */
export function layoutHeadline(headline: string): { size: number; lines: string[] } {
  const words = headline.replace(/\s+/g, ' ').trim().split(' ');
  for (const size of SIZES) {
    const lines = wrap(words, Math.floor(TEXT_WIDTH / (size * EM_PER_CHAR)));
    if (lines.length <= MAX_LINES - (size > 60 ? 1 : 0)) return { size, lines };
  }
  const size = SIZES[SIZES.length - 1]!;
  const perLine = Math.floor(TEXT_WIDTH / (size * EM_PER_CHAR));
  const lines = wrap(words, perLine).slice(0, MAX_LINES);
  lines[MAX_LINES - 1] = `${lines[MAX_LINES - 1]!.slice(0, perLine - 1)}…`;
  return { size, lines };
}

const FONTS = "'DejaVu Sans', 'Noto Sans', 'Noto Sans Arabic', sans-serif";

/** The card as SVG: librsvg shapes Arabic and lays a right-to-left line out from its right edge. */
export function cardSvg(text: CardText, colours: CardColours): string {
  const { width, height } = SOCIAL_SIZE;
  const rtl = RTL.test(text.language);
  const { size, lines } = layoutHeadline(text.headline);
  const lineHeight = Math.round(size * 1.3);
  const x = rtl ? width - MARGIN : MARGIN;
  const direction = rtl ? ' direction="rtl"' : '';
  // The block is centred between the top bar and the site's name.
  const top = Math.round(60 + (430 - ((lines.length - 1) * lineHeight + size)) / 2 + size);
  const headline = lines
    .map((line, i) => `<text x="${x}" y="${top + i * lineHeight}" font-size="${size}"${direction}>${escapeHtml(line)}</text>`)
    .join('');
  const nameRtl = RTL_CHARS.test(text.siteName);
  const markX = rtl ? width - MARGIN - 24 : MARGIN;
  const nameX = rtl ? width - MARGIN - 44 : MARGIN + 44;
  const nameAnchor = rtl === nameRtl ? 'start' : 'end';
  const c = (v: string) => escapeHtml(v);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<rect width="${width}" height="${height}" fill="${c(colours.background)}"/>
<rect width="${width}" height="16" fill="${c(colours.accent)}"/>
<g font-family="${FONTS}" font-weight="700" fill="${c(colours.text)}">${headline}</g>
<rect x="${markX}" y="${height - 104}" width="24" height="24" fill="${c(colours.accent)}"/>
<text x="${nameX}" y="${height - 83}" font-family="${FONTS}" font-size="30" font-weight="700" fill="${c(colours.text)}" fill-opacity="0.8"${nameRtl ? ' direction="rtl"' : ''} text-anchor="${nameAnchor}">${escapeHtml(text.siteName)}</text>
</svg>`;
}

const making = new Map<string, Promise<number>>();

/**
 * Makes the card once and keeps it: the key's file when it is there, otherwise drawn now (one drawing
 * per key at a time, in the image pipeline's bounded pool). Returns its size in bytes.
 */
export async function ensureCard(storage: MediaStorage, hash: string, text: CardText, colours: CardColours): Promise<number> {
  const key = cardKey(hash);
  const stored = await storage.get(key);
  if (stored) return stored.size;
  let pending = making.get(key);
  if (!pending) {
    pending = imageJob(async () => {
      const png = await sharp()(Buffer.from(cardSvg(text, colours))).png({ compressionLevel: 9, palette: false }).toBuffer();
      await storage.putBytes(key, png);
      return png.length;
    }).finally(() => making.delete(key));
    making.set(key, pending);
  }
  return pending;
}

/** The social picture as a page names it (meta tags, JSON-LD): everything but its size in bytes. */
export type PageSocialImage = Omit<SocialImage, 'size'>;

/**
 * The social picture an article's page names, without touching a generated card's file: its address
 * is made of what it shows, and its route (src/media/media.routes.ts) draws it when it is first asked
 * for. Drawing it here cost every first read of an archive page a rasterisation (tens of milliseconds
 * of a core, and a PNG kept on disk for each page a crawler ever read); checking that it exists cost a
 * trip through libuv's thread pool. A lead picture's rendition is still checked: when its file is
 * missing, the generated card stands in, as socialImageFor does.
 */
export async function pageSocialImage(storage: MediaStorage, article: SocialSubject, site: { name: string; colours: CardColours }): Promise<PageSocialImage> {
  const lead = article.leadImage;
  if (lead && (await storage.exists(lead.social.src.slice(MEDIA_PREFIX.length)))) return leadSocialImage(lead);
  return generatedCardImage(article, site);
}

function leadSocialImage(lead: ImageView): PageSocialImage {
  return { path: lead.social.src, width: lead.social.width, height: lead.social.height, type: 'image/jpeg', alt: lead.decorative ? '' : lead.alt, caption: lead.caption, credit: lead.credit, generated: false };
}

function generatedCardImage(article: SocialSubject, site: { name: string; colours: CardColours }): PageSocialImage {
  const hash = cardHash({ headline: article.headline, language: article.language, siteName: site.name }, site.colours);
  return { path: cardPath(article.id, hash), ...SOCIAL_SIZE, type: 'image/png', alt: article.headline, caption: '', credit: '', generated: true };
}

/**
 * The social picture of an article with its size in bytes (feeds' enclosures state it): its lead
 * picture's 1200×630 rendition, or its generated card (made now if it was never made). Paths start
 * with /media/; callers add the site's origin.
 */
export async function socialImageFor(storage: MediaStorage, article: SocialSubject, site: { name: string; colours: CardColours }): Promise<SocialImage> {
  const lead = article.leadImage;
  if (lead) {
    const file = await storage.get(lead.social.src.slice(MEDIA_PREFIX.length));
    if (file) return { ...leadSocialImage(lead), size: file.size };
  }
  const text = { headline: article.headline, language: article.language, siteName: site.name };
  const size = await ensureCard(storage, cardHash(text, site.colours), text, site.colours);
  return { ...generatedCardImage(article, site), size };
}
