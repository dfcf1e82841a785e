// Where each WordPress status lands in Gazette's workflow (src/import/wp-status.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { articleStateFor, pageStateFor } from '../../src/import/wp-status.ts';
import type { WxrItem } from '../../src/import/wxr.parser.ts';

const NOW = new Date('2026-11-29T10:00:00Z');

function item(status: string, extra: Partial<WxrItem> = {}): WxrItem {
  return { title: 't', link: '', creator: '', guid: '', content: '', excerpt: '', postId: '1', postDate: '', postDateGmt: '', commentStatus: '', postName: '', status, postParent: '', postType: 'post', postPassword: '', attachmentUrl: '', isSticky: '', terms: [], postmeta: [], comments: [], ...extra };
}

describe('WordPress statuses', () => {
  it('posts: publish, pending, future (to come or passed), draft, private, password-protected', () => {
    assert.deepEqual(articleStateFor(item('publish'), NOW), { status: 'published' });
    assert.equal(articleStateFor(item('pending'), NOW).status, 'review');
    assert.deepEqual(articleStateFor(item('future', { postDateGmt: '2030-01-01 19:00:18' }), NOW), { status: 'scheduled', at: '2030-01-01T19:00:18.000Z', why: 'scheduled: imported scheduled for 2030-01-01T19:00:18.000Z' });
    // Only the local date: it is read as given.
    assert.equal(articleStateFor(item('future', { postDateGmt: '0000-00-00 00:00:00', postDate: '2031-02-03 04:05:06' }), NOW).status, 'scheduled');
    assert.match(JSON.stringify(articleStateFor(item('future', { postDateGmt: '2020-01-01 00:00:00' }), NOW)), /"draft".*has passed/);
    assert.equal(articleStateFor(item('future'), NOW).status, 'draft');
    assert.equal(articleStateFor(item('draft'), NOW).status, 'draft');
    assert.match(JSON.stringify(articleStateFor(item('private'), NOW)), /"draft".*no private posts/);
    // A password wins over any status: such a post is never public, nor scheduled to become so.
    for (const status of ['publish', 'future', 'pending'])
      assert.match(JSON.stringify(articleStateFor(item(status, { postPassword: 'enter', postDateGmt: '2030-01-01 00:00:00' }), NOW)), /"draft".*password-protected/, status);
  });

  it('pages: published only when public, every other status a draft', () => {
    assert.deepEqual(pageStateFor(item('publish')), { status: 'published' });
    for (const status of ['draft', 'pending', 'future', 'private']) assert.equal(pageStateFor(item(status)).status, 'draft', status);
    assert.equal(pageStateFor(item('publish', { postPassword: 'x' })).status, 'draft');
  });
});
