// The writer sees their own write: a reader posts a comment, lands on its page, then replies; the reply
// lands on the same address (only the #fragment differs, and it is not sent), and that page must show the
// reply, whether the browser asks again with the first landing's ETag (If-None-Match, as it does for a
// `no-cache` page it holds) or without it. Each round writes the first landing's copy to the page store
// (decision 0038) just before the reply, whose drop then runs close to the next read of that address. On
// PostgreSQL a copy read while its drop ran was served once in a while (a 304 to the first landing's
// ETag: the reply missing in tests/comments/browser.test.ts); that race is narrow and this test seldom
// meets it, so tests/page-store.test.ts holds it deterministically.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import type { TestServer } from '../helpers/server.ts';
import { SEED_PATH, commentIdFrom, fields, postComment, readForm, startCommentServer } from './helpers.ts';

/** Posting rounds; the reply of round i is posted i × STEP_MS after the first landing. */
const ROUNDS = 12;
const STEP_MS = 4;

describe('a writer lands on a page that shows their own write', () => {
  let server: TestServer;
  before(async () => {
    server = await startCommentServer({ COMMENTS_MODERATION: 'hold-none' });
  });
  after(() => server?.close());

  it('shows the reply on the address it lands on, with and without the first landing’s ETag', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const posted = await postComment(server, fields(await readForm(server, SEED_PATH)));
      assert.equal(posted.status, 303);
      const id = commentIdFrom(posted.location);
      const landing = posted.location!.split('#')[0]!;
      const first = await fetch(server.url + landing);
      const etag = first.headers.get('etag')!;
      assert.ok(parseHTML(await first.text()).document.querySelector(`#comment-${id}`), `round ${round}: the comment is on its landing page`);
      // The first landing's copy goes to the page store now, not after its delay, and the reply follows
      // at a step further each round: its drop runs before, while or after that copy is written.
      const storing = server.app.flushStoredPages();
      await new Promise((resolve) => setTimeout(resolve, round * STEP_MS));

      const replied = await postComment(server, fields(await readForm(server, `${SEED_PATH}?replytocom=${id}`), { comment_parent: String(id) }));
      assert.equal(replied.status, 303);
      const replyId = commentIdFrom(replied.location);
      assert.equal(replied.location!.split('#')[0], landing, 'the same address as the first landing');
      for (const headers of [{ 'if-none-match': etag }, {}] as Record<string, string>[]) {
        const again = await fetch(server.url + landing, { headers });
        const asked = 'if-none-match' in headers ? 'with If-None-Match' : 'without If-None-Match';
        assert.equal(again.status, 200, `round ${round}, ${asked}: not the first landing (${again.headers.get('server-timing')})`);
        const { document } = parseHTML(await again.text());
        assert.ok(document.querySelector(`#comment-${id} .comment-children #comment-${replyId}`), `round ${round}, ${asked}: the reply under its comment`);
      }
      await storing;
    }
  });
});
