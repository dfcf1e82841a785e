// What readers type reaches an editor's terminal through `gazette comments list` and `gazette export`: the
// real CLI in a child process prints it with every control character that a terminal would obey (ESC, C1
// controls such as CSI and OSC, bidi embeddings, overrides and isolates, line separators) shown as a
// visible escape, and everything else as it was written. Ordinary tricky text is the shared naughty
// strings corpus (tests/fixtures/naughty, MIT, see its README); its copy lacks control characters, so
// the terminal attacks are the project's own list below.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { forTerminal } from '../../src/lib/terminal-text.ts';
import { runCli, type TestServer } from '../helpers/server.ts';
import { SEED_PATH, fields, postComment, readForm, startCommentServer } from '../comments/helpers.ts';

const NAUGHTY = path.resolve(import.meta.dirname, '../fixtures/naughty/blns-shared.json');

/** What a terminal would act on (a line feed between printed lines is the CLI's own). */
const OBEYED = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** Terminal attacks: each is a comment text, and (with a name around it) a commenter's name. */
const ATTACKS = [
  'Looks fine \u009b2J\u009bH then the screen is cleared (C1 CSI)',
  'Title \u009d0;You have been approved\u009c (C1 OSC, ended by ST)',
  'Colour \u001b[31mred\u001b[0m and \u001b[2K a wiped line (ESC CSI)',
  'Clipboard \u001b]52;c;cm0gLXJmIH4=\u0007 (ESC OSC 52)',
  'Hyperlink \u001b]8;;https://evil.example\u001b\\innocent text\u001b]8;;\u001b\\',
  'Approve \u202egnp.exe\u202c reversed (RLO, PDF)',
  'Isolated \u2066\u2067\u2068 text \u2069 and \u202a\u202b\u202d embeddings',
  'Back\u0008space, bell\u0007, carriage\rreturn, DEL\u007f, NEL\u0085, a line\u2028separator',
  'A name\nthat fakes a line of its own',
];

const gazette = (server: TestServer, ...args: string[]) => runCli(server, args, { timeoutMs: 120_000 });

const flat = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('reader text printed by the gazette command', () => {
  let server: TestServer;
  const naughty = (JSON.parse(fs.readFileSync(NAUGHTY, 'utf8')) as { string: string }[]).map((e) => e.string);
  /** Texts the server accepted and stored. */
  const stored: string[] = [];

  before(async () => {
    server = await startCommentServer({ COMMENTS_MODERATION: 'hold-all' });
    const form = await readForm(server, SEED_PATH);
    for (const text of [...ATTACKS, ...naughty]) {
      const attack = ATTACKS.includes(text);
      const answer = await postComment(server, fields(form, { author: attack ? `Ed ${text}` : 'Naughty reader', comment: text }));
      if (answer.status === 303) stored.push(text);
      else if (attack) {
        // The form refuses C0 controls (ESC among them), but stored text also comes from imports and
        // older versions: store the rest as they would arrive there.
        const placeholder = `placeholder ${stored.length}`;
        assert.equal((await postComment(server, fields(form, { author: 'Placeholder', comment: placeholder }))).status, 303);
        await server.store.db.updateTable('comments').set({ author_name: `Ed ${text}`, body: text }).where('body', '=', placeholder).execute();
        stored.push(text);
      }
    }
    const rows = await server.store.db.selectFrom('comments').select(['author_name', 'body']).execute();
    // The precondition that keeps this test able to fail: the controls really are stored as written.
    const controlled = (t: string) => OBEYED.test(t) || t.includes('\n');
    assert.equal(rows.filter((r) => controlled(r.body) && controlled(r.author_name)).length, ATTACKS.length);
  });
  after(() => server.close());

  it('shows every control character of stored text as a visible escape in the moderation queue', async () => {
    const { code, stdout, stderr } = await gazette(server, 'comments', 'list', '--status', 'all', '--limit', '5000');
    assert.equal(code, 0, stderr);
    const obeyed = [...stdout].filter((c) => OBEYED.test(c)).map((c) => `U+${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
    assert.deepEqual([...new Set(obeyed)], [], 'no character a terminal obeys reaches it');
    assert.match(stdout, /Looks fine <U\+009B>2J<U\+009B>H then/);
    assert.match(stdout, /Approve <U\+202E>gnp\.exe<U\+202C> reversed/);
    assert.match(stdout, /Ed A name<U\+000A>that fakes a line of its own </, 'a line break in a name stays on its line');
  });

  it('prints the rest of the naughty strings as they were written', async () => {
    const { stdout } = await gazette(server, 'comments', 'list', '--status', 'all', '--limit', '5000');
    const plain = stored.filter((t) => !ATTACKS.includes(t) && !OBEYED.test(t) && flat(t) !== '');
    assert.ok(plain.length > 300, `most of the corpus was accepted (${plain.length})`);
    for (const text of plain) assert.ok(stdout.includes(flat(text).slice(0, 100)), `printed unchanged: ${JSON.stringify(text)}`);
  });

  it('exports JSON lines that carry no control character and read back to the stored text', async () => {
    const { code, stdout, stderr } = await gazette(server, 'export');
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stdout, OBEYED);
    const bodies = stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { table: string; row: { body?: string } })
      .filter((l) => l.table === 'comments')
      .map((l) => l.row.body);
    for (const attack of ATTACKS) assert.ok(bodies.includes(attack), `exported as stored: ${JSON.stringify(attack)}`);
  });

  it('escapes in one visible form', () => {
    assert.equal(forTerminal('a\u009bb\u202ec\u200fd\u200ce'), 'a<U+009B>b<U+202E>c\u200fd\u200ce');
  });
});
