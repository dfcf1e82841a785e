// An article's SEO title and description and its pin on the home page (decision 0033), over real HTTP on
// the engine under test: the form's fields, checks and messages next to the field, revisions keeping the
// texts, who may pin, the page head (title, description, og:, twitter:, JSON-LD) using the SEO texts while
// the headline stays, the home page's order with pinned articles first and the page cache told when a pin
// changes, and the Content API's fields and filter.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import { createAccount, signIn, type AdminClient } from '../helpers/admin.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** The form fields of a complete article. */
function articleForm(headline: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    headline,
    subtitle: `The subtitle of ${headline}`,
    slug: '',
    section: 'news',
    language: 'en',
    tags: '',
    authors: '',
    summary: '',
    body: `Body of ${headline}.`,
    pin: '',
    comments_open: 'on',
    image_url: '',
    image_alt: '',
    scheduled_at: '',
    seo_title: '',
    seo_description: '',
    action: 'save',
    ...extra,
  };
}

const idFrom = (location: string | null) => {
  const m = /^\/admin\/articles\/(\d+)\?done=/.exec(location ?? '');
  if (!m) throw new Error(`not an article address: ${location}`);
  return Number(m[1]);
};

/** What a page's head says, read as a browser would. */
function head(page: string) {
  const { document } = parseHTML(page);
  const meta = (selector: string) => document.querySelector(selector)?.getAttribute('content') ?? null;
  return {
    title: document.querySelector('title')?.textContent ?? null,
    description: meta('meta[name="description"]'),
    ogTitle: meta('meta[property="og:title"]'),
    ogDescription: meta('meta[property="og:description"]'),
    twitterTitle: meta('meta[name="twitter:title"]'),
    twitterDescription: meta('meta[name="twitter:description"]'),
    h1: document.querySelector('main h1')?.textContent?.trim() ?? null,
    jsonLd: JSON.parse(document.querySelector('script[type="application/ld+json"]')?.textContent ?? 'null') as { headline: string; description: string } | null,
  };
}

/** The article paths of the home page, in the order shown (the lead, then the latest block). */
function homeOrder(page: string): string[] {
  const { document } = parseHTML(page);
  return [...document.querySelectorAll('.lead-story .lead-title a, .latest .card-title a')].map((a) => a.getAttribute('href') ?? '');
}

describe('SEO texts and pinning to the home page', () => {
  let server: TestServer;
  let editor: AdminClient;
  let author: AdminClient;
  let unique = 0;

  const row = (id: number) => server.store.db.selectFrom('articles').select(['seo_title', 'seo_description', 'home_pinned', 'version', 'updated_at']).where('id', '=', id).executeTakeFirstOrThrow();

  async function create(client: AdminClient, extra: Record<string, string> = {}): Promise<number> {
    unique += 1;
    const answer = await client.post('/admin/articles/new', articleForm(`Pin story ${unique}`, extra));
    assert.equal(answer.status, 303, answer.text.slice(0, 800));
    return idFrom(answer.location);
  }

  async function act(client: AdminClient, id: number, action: string, extra: Record<string, string> = {}) {
    // As the form would send it: the stored SEO texts come back unless the test types others.
    const current = await server.store.db.selectFrom('articles').select(['version', 'headline', 'seo_title', 'seo_description']).where('id', '=', id).executeTakeFirstOrThrow();
    return client.post(`/admin/articles/${id}`, articleForm(current.headline, { version: String(current.version), seo_title: current.seo_title, seo_description: current.seo_description, action, ...extra }));
  }

  before(async () => {
    server = await startTestServer();
    const e = await createAccount(server, { role: 'editor' });
    editor = await signIn(server, e.email, e.password);
    const a = await createAccount(server, { role: 'author' });
    author = await signIn(server, a.email, a.password);
  });
  after(() => server.close());

  it('the form shows the SEO fields with a character count, saves them, and keeps them in revisions', async () => {
    const blank = await editor.get('/admin/articles/new');
    const { document } = parseHTML(blank.text);
    assert.ok(document.querySelector('label[for="seo_title"]')?.textContent?.includes('SEO title'));
    assert.ok(document.querySelector('label[for="seo_description"]')?.textContent?.includes('SEO description'));
    assert.equal(document.querySelector('#seo_title')?.getAttribute('maxlength'), '300');
    assert.match(document.querySelector('[data-length-of="title"]')?.textContent ?? '', /^Title \(the headline\): 0 characters; about 60 show in full/);

    const id = await create(editor, { seo_title: '  Port strike: the ten questions – Gazette ', seo_description: 'What the dockers want, and when the ships sail again.' });
    const stored = await row(id);
    assert.deepEqual([stored.seo_title, stored.seo_description], ['Port strike: the ten questions – Gazette', 'What the dockers want, and when the ships sail again.'], 'stored trimmed');
    const form = parseHTML((await editor.get(`/admin/articles/${id}`)).text).document;
    assert.equal(form.querySelector('#seo_title')?.getAttribute('value'), 'Port strike: the ten questions – Gazette');
    assert.equal(form.querySelector('#seo_description')?.textContent, 'What the dockers want, and when the ships sail again.');
    assert.match(form.querySelector('[data-length-of="title"]')?.textContent ?? '', /^SEO title: 40 characters; about 60 show in full/);
    assert.equal(form.querySelector('[data-preview-title]')?.textContent, 'Port strike: the ten questions – Gazette');

    // A second save changes the title; the revisions' diff names the field, and restoring brings the first back.
    assert.equal((await act(editor, id, 'save', { seo_title: 'Port strike explained' })).status, 303);
    const revisions = await server.store.db.selectFrom('article_revisions').select(['id', 'snapshot']).where('article_id', '=', id).orderBy('id').execute();
    assert.equal(revisions.length, 2);
    assert.equal(JSON.parse(revisions[0]!.snapshot).seoTitle, 'Port strike: the ten questions – Gazette');
    const compare = await editor.get(`/admin/articles/${id}/revisions/compare?from=${revisions[0]!.id}&to=${revisions[1]!.id}`);
    assert.match(compare.text, /<h2>SEO title<\/h2>/);
    assert.doesNotMatch(compare.text, /<h2>SEO description<\/h2>/, 'an unchanged field is not listed');
    const restore = await editor.post(`/admin/articles/${id}/revisions/${revisions[0]!.id}/restore`, { version: String((await row(id)).version) });
    assert.equal(restore.status, 303, restore.text.slice(0, 500));
    assert.equal((await row(id)).seo_title, 'Port strike: the ten questions – Gazette');
  });

  it('refuses a too-long or multi-line SEO text with a message next to the field, keeping what was typed and saving nothing', async () => {
    const id = await create(editor);
    const before = await row(id);
    const long = 'x'.repeat(301);
    const answer = await act(editor, id, 'save', { seo_title: long, seo_description: 'First line\nsecond line', subtitle: 'Typed and kept' });
    assert.equal(answer.status, 422);
    const { document } = parseHTML(answer.text);
    assert.equal(document.querySelector('#seo_title')?.getAttribute('aria-invalid'), 'true');
    assert.equal(document.querySelector('#seo_title-error')?.textContent, 'use at most 300 characters');
    assert.match(document.querySelector('#seo_description-error')?.textContent ?? '', /control characters/);
    assert.equal(document.querySelector('#seo_title')?.getAttribute('value'), long, 'what was typed comes back');
    assert.equal(document.querySelector('#subtitle')?.getAttribute('value'), 'Typed and kept');
    assert.ok(document.querySelector('.error-summary a[href="#seo_title"]'), 'the summary links to the field');
    assert.deepEqual(await row(id), before, 'nothing saved');
    // A new article is refused the same way, and none is made.
    const count = async () => Number((await server.store.db.selectFrom('articles').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()).n);
    const n = await count();
    const refused = await editor.post('/admin/articles/new', articleForm('Never made', { seo_title: 'tab\there' }));
    assert.equal(refused.status, 422);
    assert.equal(await count(), n);
  });

  it('lets editors pin and unpin (saving what was typed first), not authors; a pin keeps the version and the update time', async () => {
    const mine = await create(author);
    const authorForm = parseHTML((await author.get(`/admin/articles/${mine}`)).text).document;
    assert.equal(authorForm.querySelector('button[value="pin"]'), null, 'an author is offered no pin button');
    assert.match(authorForm.querySelector('.home-pin')?.textContent ?? '', /Editors pin articles/);
    const crafted = await act(author, mine, 'pin');
    assert.equal(crafted.status, 403);
    assert.equal((await row(mine)).home_pinned, 0);

    const id = await create(editor);
    const form = parseHTML((await editor.get(`/admin/articles/${id}`)).text).document;
    assert.equal(form.querySelector('button[value="pin"]')?.textContent, 'Pin to the home page');
    const before = await row(id);
    const pinned = await act(editor, id, 'pin', { subtitle: 'Typed before pinning' });
    assert.equal(pinned.status, 303);
    assert.equal(pinned.location, `/admin/articles/${id}?done=pinned`);
    const after = await row(id);
    assert.equal(after.home_pinned, 1);
    assert.equal(after.version, before.version + 1, 'the typed fields were saved (one version), the pin added none');
    const page = parseHTML((await editor.get(`/admin/articles/${id}?done=pinned`)).text).document;
    assert.match(page.querySelector('.notice-success')?.textContent ?? '', /Pinned to the home page/);
    assert.equal(page.querySelector('button[value="unpin"]')?.textContent, 'Unpin from the home page');
    assert.equal(page.querySelector('#subtitle')?.getAttribute('value'), 'Typed before pinning');
    const audit = await server.store.db.selectFrom('audit_log').select('action').where('subject', '=', `article:${id}`).where('action', '=', 'article.pin').execute();
    assert.equal(audit.length, 1);
    assert.equal((await act(editor, id, 'unpin')).status, 303);
    assert.equal((await row(id)).home_pinned, 0);
  });

  it('uses the SEO texts in the page head, while the headline and the JSON-LD headline stay', async () => {
    const plain = await create(editor);
    assert.equal((await act(editor, plain, 'publish')).status, 303);
    const seo = await create(editor, { seo_title: 'Ten questions on the port strike | Gazette', seo_description: 'Dockers stop work; what it means for shipping.' });
    assert.equal((await act(editor, seo, 'publish')).status, 303);
    const paths = await server.store.db.selectFrom('articles as a').innerJoin('sections as s', 's.id', 'a.section_id').select(['a.id', 'a.slug', 'a.headline', 's.slug as section']).where('a.id', 'in', [plain, seo]).execute();
    const pathOf = (id: number) => paths.find((p) => p.id === id)!;

    const p = pathOf(plain);
    const plainHead = head(await (await fetch(`${server.url}/${p.section}/${p.slug}`)).text());
    assert.equal(plainHead.title, `${p.headline} – Gazette`);
    assert.equal(plainHead.description, `The subtitle of ${p.headline}`);
    assert.deepEqual([plainHead.ogTitle, plainHead.twitterTitle], [p.headline, p.headline]);
    assert.deepEqual([plainHead.ogDescription, plainHead.twitterDescription], [plainHead.description, plainHead.description]);

    const s = pathOf(seo);
    const answer = await fetch(`${server.url}/${s.section}/${s.slug}`);
    assert.equal(answer.status, 200);
    const h = head(await answer.text());
    assert.equal(h.title, 'Ten questions on the port strike | Gazette', 'the SEO title is the whole <title>, no site name added');
    assert.deepEqual([h.ogTitle, h.twitterTitle], ['Ten questions on the port strike | Gazette', 'Ten questions on the port strike | Gazette']);
    assert.deepEqual([h.description, h.ogDescription, h.twitterDescription], Array(3).fill('Dockers stop work; what it means for shipping.'));
    assert.equal(h.h1, s.headline, 'the visible headline does not change');
    assert.equal(h.jsonLd?.headline, s.headline);
    assert.equal(h.jsonLd?.description, 'Dockers stop work; what it means for shipping.');

    // The editor's preview shows the head readers will get.
    const preview = head((await editor.get(`/admin/articles/${seo}/preview`)).text);
    assert.equal(preview.title, 'Ten questions on the port strike | Gazette');

    // Changing the SEO title of the published article shows on the next request (the cached page is dropped).
    assert.equal((await act(editor, seo, 'save', { seo_title: 'Port strike: ten questions' })).status, 303);
    assert.equal(head(await (await fetch(`${server.url}/${s.section}/${s.slug}`)).text()).title, 'Port strike: ten questions');
  });

  it('lists pinned articles first on the home page, marked, and puts an unpinned one back in date order; the cached page follows each change', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const id = await create(editor);
      assert.equal((await act(editor, id, 'publish')).status, 303);
      ids.push(id);
    }
    const pathOf = async (id: number) => {
      const r = await server.store.db.selectFrom('articles as a').innerJoin('sections as s', 's.id', 'a.section_id').select(['a.slug', 's.slug as section']).where('a.id', '=', id).executeTakeFirstOrThrow();
      return `/${r.section}/${r.slug}`;
    };
    const [oldest, middle, newest] = await Promise.all(ids.map(pathOf));
    const home = async () => {
      const answer = await fetch(server.url + '/');
      assert.equal(answer.status, 200);
      return { order: homeOrder(await answer.text()), cache: answer.headers.get('server-timing') };
    };
    const first = await home();
    assert.deepEqual(first.order.slice(0, 3), [newest, middle, oldest]);
    assert.equal((await home()).cache, 'cache;desc=hit', 'the home page is cached');

    assert.equal((await act(editor, ids[0]!, 'pin')).status, 303);
    const pinned = await (await fetch(server.url + '/')).text();
    assert.deepEqual(homeOrder(pinned).slice(0, 4), [oldest, newest, middle, homeOrder(pinned)[3]], 'the pinned (oldest) article leads');
    const { document } = parseHTML(pinned);
    const lead = document.querySelector('.lead-story');
    assert.equal(lead?.querySelector('.pinned-mark')?.textContent, 'Pinned');
    assert.equal(document.querySelectorAll('.pinned-mark').length, 1, 'only the pinned article is marked');

    // Two pinned: both lead, the newer first.
    assert.equal((await act(editor, ids[1]!, 'pin')).status, 303);
    assert.deepEqual(homeOrder(await (await fetch(server.url + '/')).text()).slice(0, 3), [middle, oldest, newest]);

    assert.equal((await act(editor, ids[0]!, 'unpin')).status, 303);
    assert.equal((await act(editor, ids[1]!, 'unpin')).status, 303);
    assert.deepEqual(homeOrder(await (await fetch(server.url + '/')).text()).slice(0, 3), [newest, middle, oldest], 'back in date order');

    // A pinned article that is a draft is not on the home page until it is published.
    const draft = await create(editor);
    assert.equal((await act(editor, draft, 'pin')).status, 303);
    assert.ok(!homeOrder(await (await fetch(server.url + '/')).text()).includes(await pathOf(draft)));
    assert.equal((await act(editor, draft, 'publish')).status, 303);
    assert.equal(homeOrder(await (await fetch(server.url + '/')).text())[0], await pathOf(draft));
    assert.equal((await act(editor, draft, 'unpin')).status, 303);
  });

  it('gives the Content API the pin (by default, and as a filter) and the SEO texts on request', async () => {
    const id = await create(editor, { seo_title: 'API SEO title', seo_description: 'API SEO description' });
    assert.equal((await act(editor, id, 'publish')).status, 303);
    assert.equal((await act(editor, id, 'pin')).status, 303);
    const list = await (await fetch(`${server.url}/api/content/articles?limit=50`)).json() as { data: { id: number; pinned: boolean }[] };
    assert.equal(list.data.find((a) => a.id === id)?.pinned, true);
    assert.ok(list.data.filter((a) => a.id !== id).every((a) => a.pinned === false));
    const only = await (await fetch(`${server.url}/api/content/articles?pinned=true&fields=headline,seoTitle,seoDescription`)).json() as { data: Record<string, unknown>[] };
    assert.deepEqual(only.data, [{ id, headline: (await server.store.db.selectFrom('articles').select('headline').where('id', '=', id).executeTakeFirstOrThrow()).headline, seoTitle: 'API SEO title', seoDescription: 'API SEO description' }]);
    const one = await (await fetch(`${server.url}/api/content/articles/${id}`)).json() as { data: Record<string, unknown> };
    assert.deepEqual([one.data.seoTitle, one.data.seoDescription, one.data.pinned], ['API SEO title', 'API SEO description', true]);
    const bad = await fetch(`${server.url}/api/content/articles?pinned=yes`);
    assert.equal(bad.status, 400);
    assert.equal((await act(editor, id, 'unpin')).status, 303);
    const after = await (await fetch(`${server.url}/api/content/articles?pinned=true`)).json() as { data: unknown[] };
    assert.deepEqual(after.data, [], 'the API cache follows the pin');
  });
});
