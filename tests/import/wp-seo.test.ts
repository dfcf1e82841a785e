// The SEO plugins' titles and descriptions and WordPress's sticky posts, imported (decision 0033): the
// template variables of each plugin expanded or removed, never left raw; then whole exports imported on
// the engine under test (a file of our own with every plugin, and WordPress's theme unit test data with
// its sticky post), the values stored, kept on a second run, and the home page led by the sticky post.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import { expandTemplate, seoText } from '../../src/import/wp-seo.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { fixture, runImport } from './helpers.ts';

const context = { title: 'Port strike', excerpt: 'Dockers stop work.', siteName: 'Valley Courier', category: 'Business', author: 'Rana Haddad' };

describe('SEO plugin templates', () => {
  it("expands each plugin's variables whose value the export tells", () => {
    assert.equal(expandTemplate('%%title%% %%sep%% %%sitename%%', context), 'Port strike – Valley Courier', 'Yoast');
    assert.equal(expandTemplate('%%post_title%% %%sep%% %%sitetitle%%', context), 'Port strike – Valley Courier', 'SEOPress');
    assert.equal(expandTemplate('%title% %sep% %sitename% (%category%, %name%)', context), 'Port strike – Valley Courier (Business, Rana Haddad)', 'Rank Math');
    assert.equal(expandTemplate('#post_title #separator_sa #site_title: #post_excerpt_only', context), 'Port strike – Valley Courier: Dockers stop work.', 'All in One SEO 4');
    assert.equal(expandTemplate('%post_title% | %blog_title%', context), 'Port strike | Valley Courier', 'All in One SEO Pack');
  });

  it('removes the variables it cannot know, and any other marker, so none is ever shown raw', () => {
    const cases: [string, string][] = [
      ['%%title%% %%page%% %%sep%% Live %%sep%% %%sitename%%', 'Port strike – Live – Valley Courier'],
      ['Live: %%focuskw%% %%cf_rating%% %%ct_desc_region%% %%currentyear%%', 'Live'],
      ['Review %customfield(rating)% of %title% %page%', 'Review of Port strike'],
      ['%%title%% %%some-future-variable%% today', 'Port strike today'],
      ['Exclusive: #post_title #current_year #custom_field-rating', 'Exclusive: Port strike'],
      ['Exclusive %sep% %sitedesc%', 'Exclusive'],
    ];
    for (const [template, expected] of cases) {
      const text = seoText(template, context, 300);
      assert.equal(text, expected, template);
      assert.doesNotMatch(text, /%[a-z_]+%|%%|#(post|site|current|custom)_/, template);
    }
  });

  it('keeps what is text: percentages, hashtags, numbers after #, entities decoded once', () => {
    assert.equal(seoText('50% off and 20% more', context, 300), '50% off and 20% more');
    assert.equal(seoText('#1 story on #harbours', context, 300), '#1 story on #harbours');
    assert.equal(seoText('Fish &amp; chips &#8211; %%sitename%%', { ...context, siteName: 'A &lt;b&gt; site' }, 300), 'Fish & chips – A &lt;b&gt; site');
  });

  it('drops a template made only of variables (it restates the defaults), makes text one line and cuts it to the limit', () => {
    assert.equal(seoText('%%title%% %%sep%% %%sitename%%', context, 300), '');
    assert.equal(seoText('#post_title | #site_title', context, 300), '');
    assert.equal(seoText('   ', context, 300), '');
    assert.equal(seoText('First line\nsecond\tline\u0085end', context, 300), 'First line second line end');
    assert.equal(seoText(`${'word '.repeat(80)}`, context, 50), `${'word '.repeat(9)}word`);
  });
});

describe('importing SEO texts and sticky posts', () => {
  let server: TestServer;
  // Not importServer(): a test below replaces the server with one of its own, which after() closes.
  before(async () => {
    server = await startTestServer({ demo: false });
  });
  after(() => server.close());

  const importFile = async (name: string) => runImport(server, fixture(name));

  const bySlug = async () => {
    const rows = await server.store.db.selectFrom('articles').select(['slug', 'status', 'seo_title', 'seo_description', 'home_pinned']).execute();
    return new Map(rows.map((r) => [r.slug, { status: r.status, seoTitle: r.seo_title, seoDescription: r.seo_description, pinned: r.home_pinned === 1 }]));
  };

  it("maps each plugin's title and description, and sticky posts to pinned ones", async () => {
    const summary = await importFile('seo-plugins.xml');
    assert.equal(summary.counts.post?.imported, 8, JSON.stringify(summary.counts));
    const a = await bySlug();
    assert.deepEqual(a.get('yoast-post'), { status: 'published', seoTitle: 'Harbour strike enters its second week – Live updates – Valley Courier', seoDescription: 'Dockers at the Business desk’s harbour: day of the strike.', pinned: false });
    assert.deepEqual(a.get('rank-math-post'), { status: 'published', seoTitle: 'Budget vote delayed – Analysis by Rana Haddad', seoDescription: 'Why the vote moved, in five points.', pinned: true });
    assert.deepEqual(a.get('aioseo-post'), { status: 'published', seoTitle: 'New bridge opens – Photos Valley Courier', seoDescription: 'The excerpt of New bridge opens — the first cars crossed at dawn.', pinned: false });
    assert.deepEqual(a.get('aioseop-post'), { status: 'published', seoTitle: 'Archive: Old pack plugin post | Valley Courier', seoDescription: 'Kept from the old All in One SEO Pack.', pinned: false });
    assert.deepEqual(a.get('seopress-post'), { status: 'draft', seoTitle: 'Flood warning lifted in the valley – Valley Courier', seoDescription: 'Rivers fall back below the alert level.', pinned: true });
    assert.deepEqual(a.get('genesis-post'), { status: 'published', seoTitle: 'The library is back', seoDescription: 'Three years of works end with a party.', pinned: false });
    // Yoast's title only restates the defaults: the next plugin's is taken; the description stays empty.
    assert.deepEqual(a.get('template-only-post'), { status: 'published', seoTitle: 'Rank Math wins when Yoast only restates the defaults', seoDescription: '', pinned: false });
    assert.equal(a.get('multi-line-post')?.seoTitle, 'First line second line with a tab');
    assert.equal(a.get('multi-line-post')?.seoDescription, 'x'.repeat(500));

    // The imported texts are the page's head.
    const page = parseHTML(await (await fetch(`${server.url}/politics/rank-math-post`)).text()).document;
    assert.equal(page.querySelector('title')?.textContent, 'Budget vote delayed – Analysis by Rana Haddad');
    assert.equal(page.querySelector('meta[name="description"]')?.getAttribute('content'), 'Why the vote moved, in five points.');
    assert.equal(page.querySelector('main h1')?.textContent?.trim(), 'Budget vote delayed');

    // A second run updates, and keeps the same values.
    const again = await importFile('seo-plugins.xml');
    assert.equal(again.counts.post?.updated, 8);
    assert.deepEqual(await bySlug(), a);
  });

  it('pins the theme unit test data’s sticky post, and only it, and the home page leads with it', async () => {
    // On a site of its own: the posts pinned above are newer and would lead.
    await server.close();
    server = await startTestServer({ demo: false });
    await importFile('theme-unit-test-data.xml');
    const pinned = await server.store.db
      .selectFrom('articles as a')
      .innerJoin('sections as s', 's.id', 'a.section_id')
      .innerJoin('import_map as m', (j) => j.onRef('m.gazette_id', '=', 'a.id').on('m.kind', '=', 'post'))
      .select(['a.headline', 'a.slug', 's.slug as section', 'm.wp_id'])
      .where('a.home_pinned', '=', 1)
      .execute();
    assert.deepEqual(pinned.map((p) => [p.wp_id, p.headline]), [['1241', 'Template: Sticky']]);
    const home = parseHTML(await (await fetch(`${server.url}/`)).text()).document;
    const lead = home.querySelector('.lead-story');
    assert.equal(lead?.querySelector('.lead-title a')?.getAttribute('href'), `/${pinned[0]!.section}/${pinned[0]!.slug}`);
    assert.equal(lead?.querySelector('.pinned-mark')?.textContent, 'Pinned');
  });
});
