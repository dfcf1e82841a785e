// schema.org JSON-LD for article pages. Sources become data a machine can read: reports and relays
// and documents go to isBasedOn, quoted people and documents to citation. Data about the article, not
// its look: the route puts it in the page's head, whatever the theme.
import type { Article, Source } from './article.service.ts';
import type { PageSocialImage } from '../media/social-card.ts';

interface Site {
  name: string;
  publicUrl: string;
}

function publisher(site: Site) {
  return {
    '@type': 'NewsMediaOrganization',
    name: site.name,
    url: `${site.publicUrl}/`,
    logo: { '@type': 'ImageObject', url: `${site.publicUrl}/assets/logo.svg` },
  };
}

function sourceWork(s: Source, language: string): Record<string, unknown> {
  const base = { description: s.description || undefined, url: s.url ?? undefined };
  switch (s.kind) {
    case 'outlet':
    case 'agency':
      // The outlet's own report, which we do not link to when we do not know its address.
      return {
        '@type': 'CreativeWork',
        name: `${s.name} (${s.role})`,
        publisher: { '@type': 'NewsMediaOrganization', name: s.name, ...base },
      };
    case 'document':
      return {
        '@type': 'DigitalDocument',
        name: s.document?.title ?? s.name,
        description: s.description || undefined,
        ...(s.document?.sha256 ? { identifier: `sha256:${s.document.sha256}` } : {}),
        ...(s.url ? { url: s.url } : {}),
      };
    case 'person':
      return {
        '@type': 'Quotation',
        inLanguage: language,
        creator: { '@type': 'Person', name: s.name, ...(s.description ? { jobTitle: s.description } : {}), ...(s.url ? { url: s.url } : {}) },
      };
  }
}

/** The article's picture as an ImageObject: its social rendition (or generated card), with caption and credit. */
export function imageObject(image: PageSocialImage, publicUrl: string): Record<string, unknown> {
  const url = publicUrl + image.path;
  return {
    '@type': 'ImageObject',
    url,
    contentUrl: url,
    encodingFormat: image.type,
    // schema.org's width and height are Distance or QuantitativeValue: pixels are UN/CEFACT unit E37.
    width: { '@type': 'QuantitativeValue', value: image.width, unitCode: 'E37' },
    height: { '@type': 'QuantitativeValue', value: image.height, unitCode: 'E37' },
    caption: image.caption || undefined,
    creditText: image.credit || undefined,
    copyrightNotice: image.credit || undefined,
  };
}

/**
 * The NewsArticle node of an article page. `image`: its social picture (socialImageFor); without one
 * (editors' previews) the external image address or the logo stands in.
 */
export function newsArticleJsonLd(article: Article, site: Site, image?: PageSocialImage): object {
  const url = site.publicUrl + article.path;
  const basedOn = article.sources.filter((s) => s.role !== 'quoted' || s.kind === 'document');
  const cited = article.sources.filter((s) => s.role === 'quoted');
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    '@id': `${url}#article`,
    url,
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    headline: article.headline,
    alternativeHeadline: article.subtitle || undefined,
    // The headline stays the headline; the description an editor wrote for search engines is the better summary.
    description: article.seoDescription || article.excerpt,
    inLanguage: article.language,
    datePublished: article.publishedAt,
    dateModified: article.updatedAt,
    articleSection: article.section.name,
    keywords: article.tags.map((t) => t.name),
    wordCount: article.wordCount,
    image: image ? [imageObject(image, site.publicUrl)] : article.imageUrl ? [article.imageUrl] : [`${site.publicUrl}/assets/logo.svg`],
    author: article.authors.map((a) => ({ '@type': 'Person', name: a.name, url: site.publicUrl + a.path })),
    publisher: publisher(site),
    isBasedOn: basedOn.map((s) => sourceWork(s, article.language)),
    citation: cited.map((s) => sourceWork(s, article.language)),
    isAccessibleForFree: true,
  };
}
