// WordPress content to Gazette's body formats: autop paragraphs, block comments, [caption], shortcodes,
// and nothing live surviving.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { wordpressToHtml, wordpressToMarkdown, wordpressToText } from '../../src/import/wp-content.ts';

describe('WordPress content', () => {
  it('blank lines become paragraphs and single line breaks <br>, as autop does', () => {
    assert.equal(wordpressToHtml('One\ntwo\n\nThree'), '<p>One<br />\ntwo</p>\n<p>Three</p>');
  });

  it('block-editor comments go; the blocks\' HTML stays', () => {
    assert.equal(wordpressToHtml('<!-- wp:paragraph -->\n<p>Kept</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:heading {"level":3} -->\n<h3>Title</h3>\n<!-- /wp:heading -->'), '<p>Kept</p>\n<h2>Title</h2>');
  });

  it('[caption] becomes a figure with its figcaption (caption as text or as attribute)', () => {
    const html = wordpressToHtml('[caption id="attachment_1" align="alignnone" width="300"]<img src="https://e.example/a.jpg" alt="A" /> A boat[/caption]');
    assert.equal(html.replace(/>\s+</g, '><'), '<figure class="body-image"><img src="https://e.example/a.jpg" alt="A" /><figcaption>A boat</figcaption></figure>');
    assert.match(wordpressToHtml('[caption caption="Old style"]<img src="https://e.example/b.jpg" alt="" />[/caption]'), /<figcaption>Old style<\/figcaption>/);
  });

  it('media shortcodes go; other bracketed text stays as written', () => {
    assert.equal(wordpressToHtml('Before [gallery ids="1,2,3"] after [1] [citation needed]'), '<p>Before  after [1] [citation needed]</p>');
  });

  it('scripts, event attributes and javascript: links never survive', () => {
    const html = wordpressToHtml('<p onclick="x()">Hi <a href="javascript:alert(1)">a</a></p><script>alert(2)</script><iframe src="https://e.example"></iframe>');
    assert.equal(html, '<p>Hi <a>a</a></p>');
  });

  it('a page becomes Markdown: headings, links, lists, quotes, emphasis; Markdown characters in text escaped', () => {
    const md = wordpressToMarkdown('<h2>Head</h2>\n\nSee <a href="https://e.example/a(b)">this</a>, *not* <strong>bold</strong>\n\n<ul><li>one</li><li>two</li></ul>\n\n<blockquote>Quoted</blockquote>');
    assert.equal(md, '## Head\n\nSee [this](https://e.example/a%28b%29), \\*not\\* **bold**\n\n- one\n- two\n\n> Quoted');
  });

  it('headings start at h2 and never skip a level: the headline is the page\'s h1', () => {
    assert.equal(
      wordpressToHtml('<h3>Three</h3>\n\n<h4>Four</h4>\n\n<h1>One</h1>\n\n<h4>Four again</h4>\n\n<h6>Six</h6>'),
      '<h2>Three</h2>\n<h3>Four</h3>\n<h2>One</h2>\n<h3>Four again</h3>\n<h4>Six</h4>',
    );
  });

  it('comments and excerpts become plain text with their line breaks, entities decoded', () => {
    assert.equal(wordpressToText('Hi,<br />it&#039;s <b>me</b>.<p>Second</p>'), "Hi,\nit's me.\n\nSecond");
  });
});
