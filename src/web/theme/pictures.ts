// Library pictures as the theme draws them: <picture> with its AVIF/WebP sources and a fallback <img>
// carrying its intrinsic width and height (the browser reserves the box before a byte arrives, so
// nothing shifts), the article's lead picture with its caption and credit, and listing cards' pictures.
import type { ArticleCard } from '../../articles/article.service.ts';
import type { ImageView, Picture } from '../../media/image.service.ts';
import { html, type SafeHtml } from '../../lib/html.ts';

export interface PictureOptions {
  alt: string;
  /** The sizes attribute: how wide the picture is drawn at each viewport width. */
  sizes: string;
  /** Below the fold: the browser fetches it when it comes near. */
  lazy: boolean;
  /** The page's main picture: fetched first (fetchpriority=high), never lazily. */
  priority?: boolean;
  className?: string;
}

/** A <picture>: best formats first, then the fallback <img> with its size. */
export function picture(p: Picture, o: PictureOptions): SafeHtml {
  const loading = o.priority ? html` fetchpriority="high"` : o.lazy ? html` loading="lazy" decoding="async"` : html``;
  return html`<picture${o.className ? html` class="${o.className}"` : ''}>${p.sources.map((s) => html`<source type="${s.type}" srcset="${s.srcset}" sizes="${o.sizes}">`)}<img src="${p.src}" srcset="${p.srcset}" sizes="${o.sizes}" width="${p.width}" height="${p.height}" alt="${o.alt}"${loading}></picture>`;
}

/** What a picture says to readers who cannot see it: nothing when the library marks it decorative. */
export const altOf = (view: ImageView) => (view.decorative ? '' : view.alt);

/** The article column is at most 42rem; the lead picture may run a little wider (see gazette.css). */
const LEAD_SIZES = '(min-width: 56rem) 52rem, 100vw';

/** The article's lead picture with its caption and credit (credit as small print). */
export function leadFigure(view: ImageView): SafeHtml {
  const caption = view.caption || view.credit;
  return html`<figure class="article-image wide">${picture(view.picture, { alt: altOf(view), sizes: LEAD_SIZES, lazy: false, priority: true })}${
    caption
      ? html`<figcaption>${view.caption ? html`<span class="caption">${view.caption}</span>` : ''}${view.credit ? html` <small class="credit">${view.credit}</small>` : ''}</figcaption>`
      : ''
  }</figure>`;
}

/** Card widths: the grid's columns are at least 16rem and the page at most 74rem wide. */
const CARD_SIZES = '(min-width: 74rem) 23rem, (min-width: 36rem) 45vw, 100vw';
/** The home page's lead story shows the whole picture beside or above its text. */
const HOME_LEAD_SIZES = '(min-width: 60rem) 40rem, 100vw';

/**
 * A card's picture, linked to the article like its headline. The link is left out of the tab order and
 * of the accessibility tree (the headline's link says the same), so its picture's alt stays empty.
 */
export function cardPicture(a: ArticleCard, sizes = CARD_SIZES): SafeHtml {
  if (!a.leadImage) return html``;
  return html`<a class="card-image" href="${a.path}" tabindex="-1" aria-hidden="true">${picture(a.leadImage.card, { alt: '', sizes, lazy: true })}</a>`;
}

/** Search results show a thumbnail at the line's end (see gazette.css). */
export const THUMBNAIL_SIZES = '(max-width: 30rem) 6rem, 9rem';

/** The home page's lead story picture: above the fold, so fetched at once. */
export function homeLeadPicture(a: ArticleCard): SafeHtml {
  if (!a.leadImage) return html``;
  return html`<a class="lead-image" href="${a.path}" tabindex="-1" aria-hidden="true">${picture(a.leadImage.picture, { alt: '', sizes: HOME_LEAD_SIZES, lazy: false, priority: true })}</a>`;
}
