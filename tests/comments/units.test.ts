// The small pure parts of comments: text to paragraphs and links, form tokens, the rate limiter, identicons, settings.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { identicon } from '../../src/comments/comment.avatar.ts';
import { RateLimiter } from '../../src/comments/comment.rate-limit.ts';
import { commentParagraphs, countLinks } from '../../src/comments/comment.text.ts';
import { showsSomething } from '../../src/comments/comment.service.ts';
import { checkFormToken, issueFormToken, keyedDigest, optoutKey, optoutLinkKey, readBrowserComments, readOptoutLinkKey, signBrowserComments } from '../../src/comments/comment.token.ts';
import { commentText, identiconSvg } from '../../src/web/theme/comments.ts';

describe('comment text', () => {
  it('reads paragraphs and lines, keeping every character as text', () => {
    assert.deepEqual(commentParagraphs('<script>alert(1)</script>\nline two\r\n\r\n  \n"third" & \'fourth\''), [
      { lines: [[{ text: '<script>alert(1)</script>' }], [{ text: 'line two' }]] },
      { lines: [[{ text: '"third" & \'fourth\'' }]] },
    ]);
  });

  it('finds http(s) and www. addresses only', () => {
    assert.deepEqual(commentParagraphs('See https://example.org/a?b=1&c=2, www.example.net and example.com.'), [
      {
        lines: [
          [
            { text: 'See ' },
            { text: 'https://example.org/a?b=1&c=2', href: 'https://example.org/a?b=1&c=2' },
            { text: ', ' },
            { text: 'www.example.net', href: 'http://www.example.net' },
            { text: ' and example.com.' },
          ],
        ],
      },
    ]);
    for (const text of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'mailto:a@example.org', 'a@example.org', 'ftp://example.org/file', '//example.org'])
      assert.ok(commentParagraphs(text).every((p) => p.lines.flat().every((run) => run.href === undefined)), text);
    assert.equal(countLinks('https://a.example https://b.example www.c.org d.org'), 3);
  });

  it('is shown escaped, in paragraphs and line breaks, links with nofollow ugc noopener', () => {
    assert.equal(
      commentText(commentParagraphs('<script>alert(1)</script>\nline two\r\n\r\n  \n"third" & \'fourth\'')).value,
      '<p>&lt;script&gt;alert(1)&lt;/script&gt;<br>\nline two</p>\n<p>&quot;third&quot; &amp; &#39;fourth&#39;</p>',
    );
    assert.equal(
      commentText(commentParagraphs('See https://example.org/a?b=1&c=2, www.example.net and example.com.')).value,
      '<p>See <a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener">https://example.org/a?b=1&amp;c=2</a>, <a href="http://www.example.net" rel="nofollow ugc noopener">www.example.net</a> and example.com.</p>',
    );
  });
});

describe('form tokens', () => {
  const secret = 'a test secret that is long enough to use';
  const rules = { minSeconds: 3, maxSeconds: 3600 };
  const t0 = new Date('2026-01-01T12:00:00Z');
  const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

  it('accepts a token for its article between the minimum and maximum age', () => {
    const token = issueFormToken(secret, 7, t0);
    assert.deepEqual(checkFormToken(secret, token, 7, at(3), rules), { ok: true });
    assert.deepEqual(checkFormToken(secret, token, 7, at(3600), rules), { ok: true });
  });

  it('refuses one sent too fast, saying how long to wait', () => {
    assert.deepEqual(checkFormToken(secret, issueFormToken(secret, 7, t0), 7, at(1), rules), { ok: false, problem: 'too_fast', waitSeconds: 2 });
  });

  it('refuses an expired, forged, other-article, other-secret or future token', () => {
    const token = issueFormToken(secret, 7, t0);
    assert.deepEqual(checkFormToken(secret, token, 7, at(3601), rules), { ok: false, problem: 'token_expired' });
    assert.deepEqual(checkFormToken(secret, token, 8, at(10), rules), { ok: false, problem: 'token_invalid' });
    assert.deepEqual(checkFormToken('another secret, also long enough....', token, 7, at(10), rules), { ok: false, problem: 'token_invalid' });
    const [id, issued, sig] = token.split('.');
    assert.deepEqual(checkFormToken(secret, `${id}.${Number(issued) + 100}.${sig}`, 7, at(200), rules), { ok: false, problem: 'token_invalid' }, 'a changed time breaks the signature');
    assert.deepEqual(checkFormToken(secret, issueFormToken(secret, 7, at(3600)), 7, t0, rules), { ok: false, problem: 'token_invalid' });
    for (const junk of ['', 'x', '1.2.3', `${token}x`, token.replace(/\./g, '-')]) assert.equal(checkFormToken(secret, junk, 7, at(10), rules).ok, false, junk);
  });

  it('separates digests by purpose', () => {
    assert.notEqual(keyedDigest(secret, 'avatar', 'a@example.org'), keyedDigest(secret, 'unsubscribe', 'a@example.org'));
  });
});

describe('unsubscribe link keys and the commenter cookie', () => {
  const secret = 'a secret of at least thirty-two characters';
  const other = 'another secret, also long enough....';

  it('reads back only the link keys this secret signed, as the stored opt-out key', () => {
    const link = optoutLinkKey(secret, 'a@example.org');
    assert.match(link, /^[A-Za-z0-9_-]{65}$/);
    assert.equal(readOptoutLinkKey(secret, link), optoutKey(secret, 'a@example.org'));
    assert.equal(readOptoutLinkKey(other, link), null);
    const flipped = link.slice(0, 50) + (link[50] === 'A' ? 'B' : 'A') + link.slice(51);
    for (const bad of [flipped, optoutKey(secret, 'a@example.org'), 'A'.repeat(65), `${link}x`, '']) assert.equal(readOptoutLinkKey(secret, bad), null, bad);
  });

  it('reads back only the comment ids this secret signed', () => {
    const value = signBrowserComments(secret, [3, 14, 15]);
    assert.deepEqual(readBrowserComments(secret, value), [3, 14, 15]);
    assert.deepEqual(readBrowserComments(other, value), []);
    assert.deepEqual(readBrowserComments(secret, value.replace(/^3-/, '4-')), []);
    for (const bad of [undefined, '', 'x', '3-14-15', `${value}x`]) assert.deepEqual(readBrowserComments(secret, bad), [], String(bad));
    assert.ok(!value.includes('@'));
  });
});

describe('text that shows nothing', () => {
  it('finds nothing to show in invisible, blank and mark-only text', () => {
    for (const s of ['\u200B', '\u3164', '\u2800', '\u00AD', '\u202E', '\u115F\u1160', '\uFFA0', '\u200C\u200D\u2060', '\u3000 \t', '\u0301\u0651', '\u{E0041}', '\uFE0F\u034F']) {
      assert.equal(showsSomething(s), false, [...s].map((c) => c.codePointAt(0)!.toString(16)).join(' '));
    }
  });

  it('sees letters, digits, signs and emoji, with invisible characters around them', () => {
    for (const s of ['a', '\u200Bx\u200B', 'علی', 'نیم\u200Cفاصله', '7', '!', '😀', 'ㅎ', '\u2800.']) assert.equal(showsSomething(s), true, s);
  });
});

describe('rate limiter', () => {
  it('lets max posts through per window, then says how long to wait, then lets posts through again', () => {
    const limiter = new RateLimiter(2, 60_000);
    assert.equal(limiter.retryAfter('1.2.3.4', 0), 0);
    limiter.hit('1.2.3.4', 0);
    limiter.hit('1.2.3.4', 10_000);
    assert.equal(limiter.retryAfter('1.2.3.4', 20_000), 40);
    assert.equal(limiter.retryAfter('5.6.7.8', 20_000), 0, 'another address is not affected');
    assert.equal(limiter.retryAfter('1.2.3.4', 60_001), 0, 'the first post left the window');
  });

  it('forgets the least recently seen addresses beyond its bound', () => {
    const limiter = new RateLimiter(1, 60_000, 2);
    limiter.hit('a', 0);
    limiter.hit('b', 1);
    limiter.hit('c', 2);
    assert.equal(limiter.retryAfter('a', 3), 0);
    assert.ok(limiter.retryAfter('c', 3) > 0);
  });
});

describe('identicons', () => {
  it('are the same for the same digest, mirrored, and differ between digests', () => {
    const digest = keyedDigest('secret', 'avatar', 'a@example.org');
    assert.deepEqual(identicon(digest), identicon(digest));
    assert.notDeepEqual(identicon(digest), identicon(keyedDigest('secret', 'avatar', 'b@example.org')));
    const cells = [...identicon(digest).path.matchAll(/M(\d) (\d)/g)].map((m) => `${m[1]},${m[2]}`);
    for (const c of cells) {
      const [x, y] = c.split(',').map(Number) as [number, number];
      assert.ok(cells.includes(`${4 - x},${y}`), `cell ${c} is mirrored`);
    }
    assert.match(identiconSvg(identicon(digest)).value, /^<svg class="comment-avatar"[^>]* aria-hidden="true"/);
  });
});

describe('comment settings', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({}).comments;
    assert.equal(c.moderation, 'hold-first');
    assert.equal(c.maxDepth, 5);
    assert.equal(c.closeAfterDays, 0);
    assert.equal(c.minSeconds, 3);
    assert.equal(loadConfig({}).mail, null);
    assert.equal(loadConfig({}).secret, null);
  });

  it('names a bad variable, and never echoes a secret', () => {
    assert.throws(() => loadConfig({ COMMENTS_MODERATION: 'sometimes' }), (e: unknown) => e instanceof ConfigError && /COMMENTS_MODERATION: expected hold-all, hold-first or hold-none \(got "sometimes"\)/.test(e.message));
    assert.throws(() => loadConfig({ COMMENTS_MAX_DEPTH: '0' }), /COMMENTS_MAX_DEPTH: expected a whole number from 1 to 20/);
    assert.throws(() => loadConfig({ COMMENTS_EDITOR_EMAILS: 'desk@example.org, nobody' }), /COMMENTS_EDITOR_EMAILS: expected a comma-separated list of email addresses/);
    assert.throws(
      () => loadConfig({ SECRET_KEY: 'short-secret-value' }),
      (e: unknown) => e instanceof ConfigError && /SECRET_KEY: expected at least 32 characters/.test(e.message) && !e.message.includes('short-secret-value'),
    );
  });

  it('reads SMTP settings', () => {
    const mail = loadConfig({ SMTP_HOST: 'smtp.example.org', SMTP_PORT: '465', SMTP_SECURE: 'true', SMTP_USER: 'u', SMTP_PASSWORD: 'p', MAIL_FROM: 'news@example.org' }).mail;
    assert.deepEqual({ ...mail }, { host: 'smtp.example.org', port: 465, secure: true, user: 'u', password: 'p', from: 'news@example.org' });
  });
});
