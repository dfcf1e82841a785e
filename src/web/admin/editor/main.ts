// The body editor's bundle (built by scripts/build-editor.mjs into dist/admin-assets/editor.js): its
// stylesheet, adopted by the document so that no inline style is needed under the admin's content
// security policy, every body textarea on the page enhanced, and the article form's lead image picker.
import css from './editor.css';
import { enhanceAll } from './body-editor.ts';
import { enhanceLeadImages } from './lead-image.ts';

function adoptStylesheet(doc: Document): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
}

adoptStylesheet(document);
enhanceAll(document);
enhanceLeadImages(document);
