// The article workflow through its services, as each role would use it: no lost edits (stale saves
// refused with both versions, locks and take-over), revisions with a field-level diff and restore,
// coalesced autosaves that leave the page cache alone, and what each role may do.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ArticleLocked,
  StaleSave,
  addNote,
  compareRevisions,
  createDraft,
  getEditable,
  listNotes,
  listRevisions,
  markReady,
  publishArticle,
  restoreRevision,
  saveArticle,
  scheduleArticle,
  submitForReview,
  takeLock,
  unpublishArticle,
  type EditableArticle,
} from '../../src/articles/article.workflow.ts';
import { recordDocument } from '../../src/documents/document.service.ts';
import type { Account } from '../../src/accounts/permissions.ts';
import { AppError } from '../../src/errors.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { account, draft } from './helpers.ts';

const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

describe('article workflow', () => {
  let server: TestServer;
  let editor: Account, otherEditor: Account, author: Account, contributor: Account, admin: Account;

  before(async () => {
    server = await startTestServer();
    editor = await account(server, 'editor', 'Eda Editor');
    otherEditor = await account(server, 'editor', 'Otto Editor');
    author = await account(server, 'author', 'Ana Author');
    contributor = await account(server, 'contributor', 'Carl Contributor');
    admin = await account(server, 'admin');
  });
  after(() => server.close());

  /** Every change key announced while `work` runs. */
  async function announced(work: () => Promise<unknown>): Promise<string[]> {
    const keys: string[] = [];
    const stop = server.store.changes.subscribe((k) => keys.push(...k));
    try {
      await work();
    } finally {
      stop();
    }
    return keys;
  }

  it('refuses a save based on a stale version, with both versions, and saves nothing', async () => {
    const a = await createDraft(server.store, author, draft('Stale save story'));
    assert.equal(a.version, 1);
    assert.equal(a.status, 'draft');
    assert.equal(a.ownerId, author.id);
    const saved = await saveArticle(server.store, author, a.id, 1, draft('Stale save story', { subtitle: 'Second thoughts' }));
    assert.equal(saved.version, 2);
    await assert.rejects(saveArticle(server.store, author, a.id, 1, draft('Stale save story', { subtitle: 'From an old tab' })), (e: unknown) => {
      assert.ok(e instanceof StaleSave);
      assert.equal(e.code, 'conflict');
      assert.equal(e.current.version, 2);
      assert.equal(e.current.draft.subtitle, 'Second thoughts');
      assert.equal(e.attempted.version, 1);
      assert.equal(e.attempted.draft.subtitle, 'From an old tab');
      return true;
    });
    const now = await getEditable(server.store, author, a.id);
    assert.equal(now.version, 2);
    assert.equal(now.draft.subtitle, 'Second thoughts');
  });

  it('names each invalid field and keeps the article as it was', async () => {
    const a = await createDraft(server.store, author, draft('Invalid fields story'));
    await assert.rejects(
      saveArticle(server.store, author, a.id, a.version, { ...draft(''), slug: 'Not A Slug', sources: [{ name: '', kind: 'outlet', role: 'reported', url: 'ftp://x' }] }),
      (e: unknown) => e instanceof AppError && e.code === 'invalid_input' && 'headline' in e.fields && 'slug' in e.fields && 'sources.0.name' in e.fields && 'sources.0.url' in e.fields,
    );
    await assert.rejects(saveArticle(server.store, author, a.id, a.version, draft('Invalid fields story', { section: 'sport' })), (e: unknown) => e instanceof AppError && 'section' in e.fields);
    assert.equal((await getEditable(server.store, author, a.id)).version, a.version);
  });

  it('keeps a revision per save, coalesces autosaves, diffs every field and restores an old revision as a new version', async () => {
    const a = await createDraft(server.store, author, draft('Revision story'));
    let v = (await saveArticle(server.store, author, a.id, a.version, draft('Revision story', { body: 'One.\n\nTwo.' }))).version;
    // Three autosaves in a row are one revision.
    for (const body of ['One.\n\nTwo.\n\nThr', 'One.\n\nTwo.\n\nThree', 'One.\n\nTwo.\n\nThree.']) v = (await saveArticle(server.store, author, a.id, v, draft('Revision story', { body }), { autosave: true })).version;
    const kinds = async () => (await listRevisions(server.store, author, a.id)).map((r) => [r.version, r.autosave]);
    assert.deepEqual(await kinds(), [
      [5, true],
      [2, false],
      [1, false],
    ]);
    const statement = await recordDocument(server.store.db, { title: 'Statement of 10 January', filePath: null, mediaType: null, sha256: null, createdAt: new Date().toISOString() });
    const sources = [{ name: 'Ministry statement', kind: 'document' as const, role: 'obtained' as const, documentId: statement }];
    v = (await saveArticle(server.store, author, a.id, v, draft('Revision story', { body: 'One.\n\nTwo, changed.\n\nThree.', sources, tags: ['Other tag'] }))).version;
    // The save that ends an autosave stretch takes its revision over.
    assert.deepEqual(await kinds(), [
      [6, false],
      [2, false],
      [1, false],
    ]);
    const revisions = await listRevisions(server.store, author, a.id);
    const first = revisions.at(-1)!;
    const last = revisions[0]!;
    const diff = await compareRevisions(server.store, author, a.id, first.id, last.id);
    const fields = diff.fields.map((f) => f.field);
    assert.deepEqual(fields, ['tags', 'body', 'sources']);
    const body = diff.fields.find((f) => f.field === 'body')!;
    assert.ok(body.lines.some((l) => l.op === 'added' && l.text === 'Two, changed.'));
    const src = diff.fields.find((f) => f.field === 'sources')!;
    assert.ok(src.lines.some((l) => l.op === 'removed' && /^2\. Wire agency · agency, relayed · relays 1\. Al-Akhbar$/.test(l.text)), JSON.stringify(src.lines));
    assert.ok(src.lines.some((l) => l.op === 'added' && /Ministry statement.*document: Statement of 10 January/.test(l.text)));

    const restored = await restoreRevision(server.store, author, a.id, first.id, v);
    assert.equal(restored.version, v + 1);
    assert.equal(restored.draft.body, draft('Revision story').body);
    assert.deepEqual(restored.draft.tags, ['Workflow']);
    assert.equal(restored.draft.sources[1]!.relays, 0);
    assert.equal((await listRevisions(server.store, author, a.id))[0]!.version, v + 1);
    // Restoring is a save like any other: based on a stale version, it is refused.
    await assert.rejects(restoreRevision(server.store, author, a.id, first.id, v), (e: unknown) => e instanceof StaleSave);
  });

  it('lets one person edit at a time: a save under another account’s lock is refused until it is taken over', async () => {
    const a = await createDraft(server.store, editor, draft('Lock story'));
    assert.equal(a.lock?.userId, editor.id);
    await assert.rejects(saveArticle(server.store, otherEditor, a.id, a.version, draft('Lock story', { subtitle: 'Mine' })), (e: unknown) => e instanceof ArticleLocked && e.lock.userId === editor.id);
    await assert.rejects(takeLock(server.store, otherEditor, a.id), (e: unknown) => e instanceof ArticleLocked && e.lock.userId === editor.id);
    const lock = await takeLock(server.store, otherEditor, a.id, { takeOver: true });
    assert.equal(lock.userId, otherEditor.id);
    assert.equal((await getEditable(server.store, editor, a.id)).lock?.userId, otherEditor.id);
    const saved = await saveArticle(server.store, otherEditor, a.id, a.version, draft('Lock story', { subtitle: 'Mine' }));
    assert.equal(saved.draft.subtitle, 'Mine');
    await assert.rejects(saveArticle(server.store, editor, a.id, saved.version, draft('Lock story')), (e: unknown) => e instanceof ArticleLocked && e.lock.userId === otherEditor.id);
    // A lock nobody refreshed for a while holds no more.
    const later = new Date(Date.now() + 10 * 60_000);
    const free = await saveArticle(server.store, editor, a.id, saved.version, draft('Lock story', { subtitle: 'Back' }), { now: later });
    assert.equal(free.lock?.userId, editor.id);
  });

  it('autosaving a draft announces no change; publishing, editing and unpublishing announce every page that shows it', async () => {
    const a = await createDraft(server.store, editor, draft('Announcements story'));
    assert.deepEqual(await announced(() => saveArticle(server.store, editor, a.id, a.version, draft('Announcements story', { body: 'Typing…' }), { autosave: true })), []);
    assert.deepEqual(await announced(() => saveArticle(server.store, editor, a.id, a.version + 1, draft('Announcements story', { body: 'Typed.' }))), []);
    let current: EditableArticle = await getEditable(server.store, editor, a.id);
    const onPublish = await announced(async () => {
      current = await publishArticle(server.store, editor, a.id, current.version);
    });
    for (const k of [`article:${a.id}`, 'home', 'feeds', 'sitemaps', 'search', 'articles', `comments:${a.id}`]) assert.ok(onPublish.includes(k), `publish announces ${k}: ${onPublish}`);
    assert.ok(onPublish.some((k) => k.startsWith('section:')) && onPublish.some((k) => k.startsWith('tag:')) && onPublish.some((k) => k.startsWith('author:')));
    // An autosave of a published article is kept aside: readers' pages do not change.
    assert.deepEqual(await announced(() => saveArticle(server.store, editor, a.id, current.version, draft('Announcements story', { body: 'Half a sent' }), { autosave: true })), []);
    assert.equal((await getEditable(server.store, editor, a.id)).draft.body, 'Typed.');
    const onEdit = await announced(async () => {
      current = await saveArticle(server.store, editor, a.id, current.version, draft('Announcements story', { body: 'Corrected.', tags: ['Another'] }));
    });
    assert.ok(onEdit.includes(`article:${a.id}`) && onEdit.includes('home'));
    const onUnpublish = await announced(() => unpublishArticle(server.store, editor, a.id, current.version));
    assert.ok(onUnpublish.includes(`article:${a.id}`) && onUnpublish.includes('feeds') && onUnpublish.includes('sitemaps'));
    assert.equal((await getEditable(server.store, editor, a.id)).status, 'unpublished');
  });

  it('lets each role do only what it may, whoever calls the service', async () => {
    const own = await createDraft(server.store, contributor, draft('Contributor story'));
    // A contributor cannot publish, schedule or mark ready even its own article.
    await assert.rejects(publishArticle(server.store, contributor, own.id, own.version), isCode('forbidden'));
    await assert.rejects(scheduleArticle(server.store, contributor, own.id, own.version, new Date(Date.now() + 3_600_000)), isCode('forbidden'));
    await assert.rejects(markReady(server.store, contributor, own.id, own.version), isCode('forbidden'));
    const submitted = await submitForReview(server.store, contributor, own.id, own.version);
    assert.equal(submitted.status, 'review');
    assert.equal(submitted.lock, null);
    // An author cannot touch another's article; an editor can, and publishes it.
    await assert.rejects(getEditable(server.store, author, own.id), isCode('forbidden'));
    await assert.rejects(saveArticle(server.store, author, own.id, own.version, draft('Contributor story')), isCode('forbidden'));
    await assert.rejects(publishArticle(server.store, author, own.id, own.version), isCode('forbidden'));
    await assert.rejects(addNote(server.store, author, own.id, 'Sneaky'), isCode('forbidden'));
    assert.equal((await markReady(server.store, editor, own.id, own.version)).status, 'ready');
    assert.equal((await publishArticle(server.store, editor, own.id, own.version)).status, 'published');
    // Once published, the contributor can no longer change it (that would be publishing).
    await assert.rejects(saveArticle(server.store, contributor, own.id, own.version, draft('Contributor story', { subtitle: 'Changed' })), isCode('forbidden'));
    // An author publishes and unpublishes its own.
    const mine = await createDraft(server.store, author, draft('Author story'));
    const published = await publishArticle(server.store, author, mine.id, mine.version);
    assert.equal(published.status, 'published');
    assert.equal((await unpublishArticle(server.store, author, mine.id, published.version)).status, 'unpublished');
    // Demo articles have no owner: only editors and admins may edit them.
    const demo = Number((await server.store.db.selectFrom('articles').select('id').where('owner_user_id', 'is', null).executeTakeFirstOrThrow()).id);
    await assert.rejects(getEditable(server.store, author, demo), isCode('forbidden'));
    assert.equal((await getEditable(server.store, admin, demo)).id, demo);
  });

  it('refuses a body image that is neither described nor marked decorative, whoever sends it', async () => {
    const image = (alt: string) => `<p>Text.</p><figure class="body-image"><img src="https://example.org/a.jpg"${alt}><figcaption>Caption</figcaption></figure>`;
    await assert.rejects(
      createDraft(server.store, editor, draft('Image story', { body: image(''), bodyFormat: 'html' })),
      (e: unknown) => e instanceof AppError && e.code === 'invalid_input' && /alternative text/.test(e.fields.body ?? ''),
    );
    const described = await createDraft(server.store, editor, draft('Image story', { body: image(' alt="The ministry building"'), bodyFormat: 'html' }));
    assert.match(described.draft.body, /alt="The ministry building"/);
    const decorative = await createDraft(server.store, editor, draft('Decorative story', { body: image(' alt=""'), bodyFormat: 'html' }));
    assert.match(decorative.draft.body, /alt=""/);
  });

  it('refuses a move the status does not allow, a past schedule time, and unknown ids', async () => {
    const a = await createDraft(server.store, editor, draft('Moves story'));
    await assert.rejects(unpublishArticle(server.store, editor, a.id, a.version), isCode('conflict'));
    await assert.rejects(scheduleArticle(server.store, editor, a.id, a.version, new Date(Date.now() - 1000)), (e: unknown) => e instanceof AppError && e.code === 'invalid_input' && 'scheduledAt' in e.fields);
    const scheduled = await scheduleArticle(server.store, editor, a.id, a.version, new Date(Date.now() + 3_600_000));
    assert.equal(scheduled.status, 'scheduled');
    // Unpublishing a scheduled article takes it off the schedule.
    const off = await unpublishArticle(server.store, editor, a.id, scheduled.version);
    assert.equal(off.status, 'ready');
    assert.equal(off.scheduledAt, null);
    await assert.rejects(getEditable(server.store, editor, 99_999_999), isCode('not_found'));
    await assert.rejects(getEditable(server.store, editor, Number.NaN), isCode('not_found'));
  });

  it('keeps private notes per article', async () => {
    const a = await createDraft(server.store, author, draft('Notes story'));
    await addNote(server.store, editor, a.id, 'Check the second quotation with the desk.');
    await addNote(server.store, author, a.id, 'Done.');
    await assert.rejects(addNote(server.store, author, a.id, '   '), (e: unknown) => e instanceof AppError && 'note' in e.fields);
    const notes = await listNotes(server.store, author, a.id);
    assert.deepEqual(
      notes.map((n) => [n.authorId, n.body]),
      [
        [editor.id, 'Check the second quotation with the desk.'],
        [author.id, 'Done.'],
      ],
    );
  });
});
