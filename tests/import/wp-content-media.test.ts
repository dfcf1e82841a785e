// WordPress content with media (decision 0030): pictures under wp-content/uploads become the body
// editor's library figures, whatever size variant or srcset entry names them; embeds and media
// shortcodes become links; nothing live, no shortcode text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { wordpressToHtml, type ContentMedia } from '../../src/import/wp-content.ts';
import { uploadKey, uploadPath } from '../../src/import/wp-media.ts';

const HARBOUR = { id: 5, src: '/media/images/ab/abc/full-640.jpg', alt: 'Boats', caption: 'Dawn' };

/** Answers like the importer: by upload key, and attachments 7 (a picture) and 9 (a sound). */
const media: ContentMedia = {
  byUrl: (url) => {
    const file = uploadPath(url);
    return file && uploadKey(file) === '2020/01/harbour.jpg' ? HARBOUR : undefined;
  },
  byAttachment: (id) => (id === '7' ? { image: true, id: 7, src: '/media/seven.png', alt: 'A gull', caption: 'Gull <b>caption</b>' } : id === '9' ? { image: false, url: 'https://e.example/song.mp3', title: 'Song' } : undefined),
  children: () => ['7'],
};

const oneLine = (html: string) => html.replace(/>\s+</g, '><');

describe('WordPress content with media', () => {
  it('reads the path under wp-content/uploads, and keys it without the size suffix', () => {
    assert.equal(uploadPath('https://site.example/wp-content/uploads/2020/01/photo-300x200.jpg?ver=2#x'), '2020/01/photo-300x200.jpg');
    assert.equal(uploadPath('/wp-content/uploads/2020/01/caf%C3%A9.jpg'), '2020/01/café.jpg');
    assert.equal(uploadPath('https://site.example/wp-content/uploads/../../etc/passwd'), null);
    assert.equal(uploadPath('https://site.example/images/photo.jpg'), null);
    assert.equal(uploadKey('2020/01/photo-300x200.jpg'), '2020/01/photo.jpg');
    assert.equal(uploadKey('2020/01/photo-2x.jpg'), '2020/01/photo-2x.jpg');
  });

  it('an inline size variant, linked to the full file, becomes a library figure out of its paragraph', () => {
    const html = wordpressToHtml('Before <a href="https://s.example/wp-content/uploads/2020/01/harbour.jpg"><img class="wp-image-10" src="https://s.example/wp-content/uploads/2020/01/harbour-300x200.jpg" width="300" alt="" /></a> after', media);
    assert.equal(oneLine(html), '<p>Before </p><figure class="body-image"><img src="/media/images/ab/abc/full-640.jpg" alt="Boats" data-media-id="5" /></figure><p> after</p>');
  });

  it('a picture known only through its srcset is found; the alt the post gives wins', () => {
    const html = wordpressToHtml('<img src="https://cdn.example/x.jpg" srcset="https://s.example/wp-content/uploads/2020/01/harbour-1024x683.jpg 1024w" alt="Harbour">', media);
    assert.equal(oneLine(html), '<figure class="body-image"><img src="/media/images/ab/abc/full-640.jpg" alt="Harbour" data-media-id="5" /></figure>');
  });

  it('[caption], the block editor\'s image and [gallery] become figures with captions', () => {
    const caption = wordpressToHtml('[caption id="attachment_10" width="300"]<img src="https://s.example/wp-content/uploads/2020/01/harbour.jpg" alt="Boats leaving"> Leaving at dawn[/caption]', media);
    assert.equal(oneLine(caption), '<figure class="body-image"><img src="/media/images/ab/abc/full-640.jpg" alt="Boats leaving" data-media-id="5" /><figcaption>Leaving at dawn</figcaption></figure>');
    const block = wordpressToHtml('<!-- wp:image {"id":10} --><figure class="wp-block-image size-large"><img src="https://s.example/wp-content/uploads/2020/01/harbour-1024x683.jpg" alt="" class="wp-image-10"/><figcaption>Block</figcaption></figure><!-- /wp:image -->', media);
    assert.equal(oneLine(block), '<figure class="body-image"><img src="/media/images/ab/abc/full-640.jpg" alt="Boats" data-media-id="5" /><figcaption>Block</figcaption></figure>');
    const gallery = wordpressToHtml('[gallery ids="7,404"]\n\n[gallery]', media);
    assert.equal(oneLine(gallery), '<figure class="body-image"><img src="/media/seven.png" alt="A gull" data-media-id="7" /><figcaption>Gull &lt;b&gt;caption&lt;/b&gt;</figcaption></figure>'.repeat(2));
  });

  it('embeds, auto-embedded URL lines, [audio], [video], [playlist] and provider shortcodes become links', () => {
    const html = wordpressToHtml(
      '[embed width="500"]https://www.youtube.com/watch?v=a1[/embed]\n\nhttps://vimeo.com/1\n\n[audio mp3="https://e.example/a.mp3"][/audio]\n[video width="2" mp4="https://e.example/v.mp4"][/video]\n[playlist ids="9"]\n[youtube https://youtu.be/b2]\n\nText with https://inline.example/ stays text.',
      media,
    );
    const links = [...html.matchAll(/<figure class="body-embed"><a href="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(links, ['https://www.youtube.com/watch?v=a1', 'https://vimeo.com/1', 'https://e.example/a.mp3', 'https://e.example/v.mp4', 'https://e.example/song.mp3', 'https://youtu.be/b2']);
    assert.match(html, /<p>Text with https:\/\/inline\.example\/ stays text\.<\/p>/);
    assert.doesNotMatch(html, /\[|<iframe|<audio|<video/);
  });

  it('a picture not in the library keeps its original address; nothing live gets through a figure', () => {
    const html = wordpressToHtml('<img src="https://s.example/wp-content/uploads/2019/05/lost.jpg" alt="Lost" onerror="alert(1)">\n\n[embed]javascript:alert(2)[/embed]\n\n[caption]<img src="javascript:alert(3)">x" onmouseover="alert(4)[/caption]', media);
    assert.match(html, /<img src="https:\/\/s\.example\/wp-content\/uploads\/2019\/05\/lost\.jpg" alt="Lost" \/>/);
    assert.doesNotMatch(html, /javascript:|onerror|<[^>]*\sonmouseover=/);
    // The caption's quote is text, not an attribute.
    assert.match(html, /<figcaption>x" onmouseover="alert\(4\)<\/figcaption>/);
  });
});
