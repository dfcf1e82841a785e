// The body editor's bundle (built by scripts/build-editor.mjs into dist/admin-assets/editor.js): its
// stylesheet, adopted by the document so that no inline style is needed under the admin's content
// security policy, and every body textarea on the page enhanced.
import css from './editor.css';
import { enhanceAll } from './body-editor.ts';

function adoptStylesheet(doc: Document): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
}

adoptStylesheet(document);
enhanceAll(document);
