// Sections: slugs the router needs for itself cannot become sections.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../src/errors.ts';
import { defineSection, getSection } from '../src/sections/section.service.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

describe('defineSection', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ demo: false });
  });
  after(() => server.close());

  for (const slug of ['tag', 'author', 'search', 'feeds', 'sitemaps', 'assets', 'comments']) {
    it(`refuses the reserved slug "${slug}"`, async () => {
      await assert.rejects(defineSection(server.store, { slug, name: 'X' }), (e: unknown) => e instanceof AppError && e.code === 'invalid_input' && /used by the site itself/.test(e.message));
    });
  }

  it('refuses a malformed slug and an empty name', async () => {
    await assert.rejects(defineSection(server.store, { slug: 'Bad Slug', name: 'X' }), /not a valid section slug/);
    await assert.rejects(defineSection(server.store, { slug: 'robots.txt', name: 'X' }), /not a valid section slug/);
    await assert.rejects(defineSection(server.store, { slug: 'world', name: '  ' }), /needs a name/);
  });

  it('creates, then updates, a section by slug', async () => {
    const id = await defineSection(server.store, { slug: 'world', name: 'World', language: 'en' });
    assert.equal(await defineSection(server.store, { slug: 'world', name: 'World news' }), id);
    assert.equal((await getSection(server.store.db, 'world')).name, 'World news');
    const page = await fetch(`${server.url}/world/`);
    assert.equal(page.status, 200);
  });
});
