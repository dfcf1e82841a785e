// How comments are shown: thread order, nesting, author links, avatars, dates, counts on article cards,
// right-to-left pages, notices that come from the URL only, and the per-article RSS feed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseFeed } from '@rowanmanning/feed-parser';
import { parseHTML } from 'linkedom';
import type { TestServer } from '../helpers/server.ts';
import { SEED_PATH, commentIdFrom, fields, norm, postComment, readForm, serviceFor, startCommentServer } from './helpers.ts';

const ARABIC_PATH = '/akhbar/kashf-wathiqa-sirriya';
const doc = async (server: TestServer, path: string) => parseHTML(await (await fetch(server.url + path)).text()).document;

describe('comments on the page and in the feed', () => {
  let server: TestServer;
  const ids: Record<string, number> = {};

  before(async () => {
    server = await startCommentServer({ COMMENTS_MODERATION: 'hold-none' });
    const form = await readForm(server, SEED_PATH);
    const post = async (key: string, extra: Record<string, string>) => {
      const answer = await postComment(server, fields(form, extra));
      ids[key] = commentIdFrom(answer.location);
    };
    await post('first', { author: 'Layla', url: 'https://layla.example/', comment: 'First, with a link: www.example.org/report and <b>no markup</b>.' });
    await post('second', { author: 'Karim', comment: 'Second, top level.' });
    await post('reply', { author: 'Nadia', comment: 'Reply to the first.', comment_parent: String(ids.first) });
    await post('entity', { author: 'Tom &amp; Jerry &lt;x&gt;', comment: 'Entities in a name.', comment_parent: String(ids.first) });
    await post('nested', { author: 'Layla', url: 'https://layla.example/', comment: 'Reply to the reply.', comment_parent: String(ids.reply) });
    // A held one must not show anywhere.
    const service = await serviceFor(server);
    await post('hidden', { author: 'Hidden', comment: 'Soon in the trash.' });
    await service.moderate([ids.hidden!], 'trash');
    const arabic = await readForm(server, ARABIC_PATH);
    for (const text of ['تعليق أول', 'تعليق ثان']) await postComment(server, fields(arabic, { author: 'سلمى', comment: text }));
  });
  after(() => server.close());

  it('shows comments in thread order, replies nested under their parents', async () => {
    const d = await doc(server, SEED_PATH);
    const order = [...d.querySelectorAll('#comments li.comment')].map((li) => li.getAttribute('id'));
    assert.deepEqual(order, [`comment-${ids.first}`, `comment-${ids.reply}`, `comment-${ids.nested}`, `comment-${ids.entity}`, `comment-${ids.second}`]);
    assert.ok(d.querySelector(`#comment-${ids.first} > .comment-children > #comment-${ids.reply} > .comment-children > #comment-${ids.nested}`));
    assert.equal(norm(d.querySelector('#comments-title')?.textContent), '5 comments');
    assert.doesNotMatch(d.body.textContent ?? '', /Soon in the trash/);
  });

  it('links the author to their website with nofollow ugc noopener, and shows date, avatar and permalink', async () => {
    const d = await doc(server, SEED_PATH);
    const first = d.querySelector(`#comment-${ids.first}`)!;
    const author = first.querySelector('a.comment-author-name')!;
    assert.equal(author.getAttribute('href'), 'https://layla.example/');
    assert.equal(author.getAttribute('rel'), 'nofollow ugc noopener');
    assert.equal(norm(author.textContent), 'Layla');
    assert.equal(d.querySelector(`#comment-${ids.second} a.comment-author-name`), null, 'no link without a website');
    const time = first.querySelector('.comment-date time')!;
    assert.match(time.getAttribute('datetime') ?? '', /^\d{4}-\d\d-\d\dT/);
    assert.equal(first.querySelector('.comment-date a')!.getAttribute('href'), `${SEED_PATH}#comment-${ids.first}`);
    assert.equal(first.querySelector('svg.comment-avatar')?.getAttribute('aria-hidden'), 'true');
    // The same address draws the same avatar; another address another one.
    const avatar = (id: number) => d.querySelector(`#comment-${id} svg.comment-avatar`)!.innerHTML;
    assert.equal(avatar(ids.first!), avatar(ids.first!));
    assert.notEqual(avatar(ids.first!), avatar(ids.second!));
  });

  it('shows the text as plain paragraphs with http(s) links only', async () => {
    const d = await doc(server, SEED_PATH);
    const content = d.querySelector(`#comment-${ids.first} .comment-content`)!;
    assert.equal(content.querySelector('b'), null);
    assert.match(norm(content.textContent), /<b>no markup<\/b>/);
    const link = content.querySelector('a')!;
    assert.equal(link.getAttribute('href'), 'http://www.example.org/report');
    assert.equal(link.getAttribute('rel'), 'nofollow ugc noopener');
  });

  it('counts approved comments on article cards', async () => {
    const section = await doc(server, '/news/');
    const card = [...section.querySelectorAll('.card, .lead-story')].find((c) => c.querySelector(`a[href="${SEED_PATH}"]`))!;
    assert.equal(norm(card.querySelector('.card-comments')?.textContent), '5 comments');
    assert.equal(card.querySelector('.card-comments')?.getAttribute('href'), `${SEED_PATH}#comments`);
    const home = await doc(server, '/');
    assert.ok([...home.querySelectorAll('.card-comments')].some((a) => a.getAttribute('href') === `${ARABIC_PATH}#comments` && norm(a.textContent) === 'تعليقان'), 'Arabic dual on the home page');
  });

  it('words the section in the article’s language', async () => {
    const d = await doc(server, ARABIC_PATH);
    assert.equal(norm(d.querySelector('#comments-title')?.textContent), 'تعليقان');
    assert.equal(norm(d.querySelector('#reply-title')?.textContent), 'اترك تعليقاً');
    assert.match(norm(d.querySelector('#respond')?.textContent), /لن يتم نشر عنوان بريدك الإلكتروني\./);
    assert.equal(norm(d.querySelector('.comment-reply a')?.textContent), 'رد');
  });

  it('takes notices and reply targets from the URL only', async () => {
    assert.match(norm((await doc(server, `${SEED_PATH}?comment=held`)).querySelector('.comment-notice')?.textContent), /awaiting moderation/);
    assert.equal((await doc(server, `${SEED_PATH}?comment=whatever`)).querySelector('.comment-notice'), null);
    assert.equal((await doc(server, SEED_PATH)).querySelector('.comment-notice'), null);
    const reply = await doc(server, `${SEED_PATH}?replytocom=${ids.second}`);
    assert.equal(reply.querySelector('input[name="comment_parent"]')?.getAttribute('value'), String(ids.second));
    assert.match(norm(reply.querySelector('.replying-to')?.textContent), /Reply to Karim Cancel reply/);
    for (const bad of ['999999', String(ids.hidden), 'x']) {
      const d = await doc(server, `${SEED_PATH}?replytocom=${bad}`);
      assert.equal(d.querySelector('input[name="comment_parent"]')?.getAttribute('value'), '0', `replytocom=${bad} is ignored`);
    }
  });

  it('publishes an RSS feed of each article’s comments, newest first', async () => {
    const response = await fetch(`${server.url}${SEED_PATH}/comments.xml`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/rss+xml; charset=utf-8');
    const xml = await response.text();
    const feed = parseFeed(xml);
    assert.match(feed.title ?? '', /Comments on “Disclosure of confidential document”/);
    assert.equal(feed.url, `${server.config.publicUrl}${SEED_PATH}`);
    assert.deepEqual(
      feed.items.map((i) => i.url),
      [ids.nested, ids.entity, ids.reply, ids.second, ids.first].map((id) => `${server.config.publicUrl}/comments/${id}`),
    );
    const first = feed.items.at(-1)!;
    assert.equal(first.authors[0]?.name, 'Layla');
    assert.match(first.description ?? '', /^<p>First, with a link: <a href="http:\/\/www\.example\.org\/report" rel="nofollow ugc noopener">/, 'the comment as HTML in the description');
    // Markup the reader typed is escaped in that HTML, and the HTML escaped again in the XML.
    assert.ok(xml.includes('&amp;lt;b&amp;gt;no markup&amp;lt;/b&amp;gt;'));
    // A name that looks like an entity is escaped as typed, so a reader decoding the XML once gets it back.
    assert.ok(xml.includes('<dc:creator>Tom &amp;amp; Jerry &amp;lt;x&amp;gt;</dc:creator>'));
    const page = await doc(server, SEED_PATH);
    assert.equal(page.querySelector('.comments-feed a')?.getAttribute('href'), `${SEED_PATH}/comments.xml`);
    assert.equal((await fetch(`${server.url}/news/no-such-article/comments.xml`)).status, 404);
  });
});
