// The article form's lead image: a preview of the chosen library picture, its number and this article's
// crop as plain fields (the form works without a script: a number from the media library, a crop as four
// thousandths), which the editor bundle (editor/lead-image.ts) turns into a searchable picker, an upload
// and a crop drawn over the preview. Errors of either field are shown here, next to the picture.
import { html, type SafeHtml } from '../../lib/html.ts';
import { textField } from './forms.ts';

/** The chosen picture as the form shows it (the whole picture: the crop is drawn over it). */
export interface LeadImagePreview {
  id: number;
  src: string;
  srcset: string;
  width: number;
  height: number;
  alt: string;
  decorative: boolean;
  caption: string;
  credit: string;
}

export interface LeadImageFieldView {
  /** As typed: a library number, or empty. */
  id: string;
  /** As typed: "x,y,w,h" in thousandths, or empty. */
  crop: string;
  image: LeadImagePreview | null;
  errors: { id?: string | undefined; crop?: string | undefined };
}

function preview(image: LeadImagePreview | null): SafeHtml {
  if (!image) return html`<p class="empty" data-lead-empty>No lead image. Choose one from the media library or upload one.</p>`;
  return html`<img src="${image.src}" srcset="${image.srcset}" sizes="18rem" width="${image.width}" height="${image.height}" alt="${image.alt}" data-lead-img>`;
}

function captionLine(image: LeadImagePreview | null): string {
  if (!image) return '';
  const words = [image.caption, image.credit].filter(Boolean).join(' — ');
  if (!image.alt && !image.decorative) return `No alt text yet: add it in the media library before publishing. ${words}`.trim();
  return words;
}

export function leadImageField(v: LeadImageFieldView): SafeHtml {
  const invalid = v.errors.id || v.errors.crop;
  return html`<section class="panel lead-image${invalid ? ' has-error' : ''}" aria-labelledby="lead-image-heading" data-lead-image>
<h2 id="lead-image-heading">Lead image</h2>
<div class="lead-image-body">
<div>
<div class="lead-image-preview" data-lead-preview>
${preview(v.image)}
<span class="crop-box" data-crop-box hidden></span>
</div>
<p class="lead-image-caption" dir="auto" data-lead-caption>${captionLine(v.image)}</p>
</div>
<div class="lead-image-fields">
<div class="actions" data-lead-actions hidden></div>
${textField({ name: 'lead_image_id', id: 'lead_image_id', label: 'Picture number', value: v.id, error: v.errors.id, inputmode: 'numeric', hint: 'The number shown on the picture’s page in the media library. Empty: no lead image. Pages, cards and the social image are made from it.' })}
${textField({ name: 'lead_image_crop', id: 'lead_image_crop', label: 'Crop for this article', value: v.crop, error: v.errors.crop, hint: 'Optional. Left, top, width and height in thousandths of the picture, e.g. 0,100,1000,600. Empty: the whole picture.' })}
</div>
</div>
</section>`;
}
