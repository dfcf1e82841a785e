// A generated WordPress export (WXR 1.2) for bench/import.bench.ts: the same file for the same seed and
// size, written post by post to disk, never held whole in memory. Its parts are sized like a newsroom's:
// several paragraphs a post (some in Arabic or Persian), an excerpt, one or two categories from a
// hierarchy, a few tags, and four comments a post on average, some of them replies, a few held or spam.
import fs from 'node:fs';

/** A small seeded generator (a linear congruential one), so every run writes the same bytes. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
}

const LATIN = (
  'the council said on tuesday that its budget for roads schools and clinics would rise after a long debate ' +
  'residents told reporters they had waited years for the bridge while officials blamed the weather and the ' +
  'contractors a spokesperson for the ministry declined to comment on the figures which were published late ' +
  'last night by the statistics office analysts expect prices to fall again before winter as harvests improve'
).split(' ');
const ARABIC = 'قال المجلس يوم الثلاثاء إن ميزانيته للطرق والمدارس والعيادات سترتفع بعد نقاش طويل وقال السكان للصحفيين إنهم انتظروا سنوات'.split(' ');
const PERSIAN = 'شورای شهر روز سه‌شنبه اعلام کرد که بودجه جاده‌ها و مدرسه‌ها و درمانگاه‌ها پس از بحثی طولانی افزایش می‌یابد'.split(' ');

const CATEGORIES = [
  ['news', 'News', ''],
  ['world', 'World', 'news'],
  ['middle-east', 'Middle East', 'world'],
  ['europe', 'Europe', 'world'],
  ['politics', 'Politics', 'news'],
  ['business', 'Business', ''],
  ['markets', 'Markets', 'business'],
  ['technology', 'Technology', ''],
  ['science', 'Science', ''],
  ['health', 'Health', 'science'],
  ['culture', 'Culture', ''],
  ['books', 'Books', 'culture'],
  ['sport', 'Sport', ''],
  ['football', 'Football', 'sport'],
  ['opinion', 'Opinion', ''],
  ['arabic', 'عربي', ''],
  ['persian', 'فارسی', ''],
] as const;
const TAGS = Array.from({ length: 300 }, (_, i) => `topic ${i + 1}`);
const AUTHORS = Array.from({ length: 30 }, (_, i) => `reporter${i + 1}`);

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const cdata = (s: string) => `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
const pad = (n: number) => String(n).padStart(2, '0');

class Writer {
  private readonly random: () => number;
  private buffered: string[] = [];
  private size = 0;
  bytes = 0;

  constructor(
    private readonly fd: number,
    seed: number,
  ) {
    this.random = seeded(seed);
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)]!;
  }

  fraction(): number {
    return this.random();
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  between(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  words(list: readonly string[], count: number): string {
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(this.pick(list));
    return out.join(' ');
  }

  write(text: string): void {
    this.buffered.push(text);
    this.size += text.length;
    if (this.size > 256 * 1024) this.flush();
  }

  flush(): void {
    if (!this.buffered.length) return;
    const bytes = Buffer.from(this.buffered.join(''), 'utf8');
    fs.writeSync(this.fd, bytes);
    this.bytes += bytes.length;
    this.buffered = [];
    this.size = 0;
  }
}

function head(w: Writer): void {
  w.write(`<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>The Bench Herald</title>
<link>https://herald.example</link>
<description>Generated for the import benchmark</description>
<language>en-US</language>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://herald.example</wp:base_site_url>
<wp:base_blog_url>https://herald.example</wp:base_blog_url>
`);
  AUTHORS.forEach((login, i) =>
    w.write(
      `<wp:author><wp:author_id>${i + 1}</wp:author_id><wp:author_login>${cdata(login)}</wp:author_login><wp:author_email>${cdata(`${login}@herald.example`)}</wp:author_email><wp:author_display_name>${cdata(`Reporter ${i + 1}`)}</wp:author_display_name><wp:author_first_name>${cdata('Reporter')}</wp:author_first_name><wp:author_last_name>${cdata(String(i + 1))}</wp:author_last_name></wp:author>\n`,
    ),
  );
  CATEGORIES.forEach(([slug, name, parent], i) =>
    w.write(`<wp:category><wp:term_id>${i + 1}</wp:term_id><wp:category_nicename>${slug}</wp:category_nicename><wp:category_parent>${parent}</wp:category_parent><wp:cat_name>${cdata(name)}</wp:cat_name></wp:category>\n`),
  );
  TAGS.forEach((name, i) => w.write(`<wp:tag><wp:term_id>${100 + i}</wp:term_id><wp:tag_slug>${name.replace(' ', '-')}</wp:tag_slug><wp:tag_name>${cdata(name)}</wp:tag_name></wp:tag>\n`));
}

interface Counts {
  posts: number;
  comments: number;
}

function comment(w: Writer, id: number, parent: number, date: string, words: readonly string[]): string {
  const approved = w.chance(0.9) ? '1' : w.chance(0.6) ? '0' : 'spam';
  const n = w.between(1, 3);
  const text = Array.from({ length: n }, () => w.words(words, w.between(12, 40))).join('\n\n');
  return `<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author>${cdata(`Reader ${w.between(1, 5000)}`)}</wp:comment_author><wp:comment_author_email>reader${w.between(1, 5000)}@mail.example</wp:comment_author_email><wp:comment_author_url></wp:comment_author_url><wp:comment_author_IP>192.0.2.${w.between(1, 254)}</wp:comment_author_IP><wp:comment_date>${date}</wp:comment_date><wp:comment_date_gmt>${date}</wp:comment_date_gmt><wp:comment_content>${cdata(text)}</wp:comment_content><wp:comment_approved>${approved}</wp:comment_approved><wp:comment_type></wp:comment_type><wp:comment_parent>${parent}</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id></wp:comment>\n`;
}

function post(w: Writer, n: number, counts: Counts, nextComment: { id: number }, commentsLeft: number, postsLeft: number): void {
  const language = w.chance(0.08) ? 'arabic' : w.chance(0.05) ? 'persian' : 'english';
  const words = language === 'arabic' ? ARABIC : language === 'persian' ? PERSIAN : LATIN;
  const day = new Date(Date.UTC(2010, 0, 1) + n * 3_600_000 * 1.7);
  const date = `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())} ${pad(day.getUTCHours())}:${pad(day.getUTCMinutes())}:00`;
  const title = w.words(words, w.between(5, 11));
  const paragraphs = Array.from({ length: w.between(3, 7) }, () => `<p>${w.words(words, w.between(30, 70))}</p>`).join('\n\n');
  const body = w.chance(0.1) ? `<!-- wp:paragraph -->\n${paragraphs}\n<!-- /wp:paragraph -->` : paragraphs;
  const category = language === 'english' ? w.pick(CATEGORIES.slice(0, 15)) : CATEGORIES.find((c) => c[0] === language)!;
  const tags = Array.from({ length: w.between(1, 5) }, () => w.pick(TAGS));
  const status = w.chance(0.97) ? 'publish' : 'draft';
  let item = `<item><title>${escapeText(title)}</title><link>https://herald.example/${n}/</link><pubDate>${day.toUTCString()}</pubDate><dc:creator>${cdata(w.pick(AUTHORS))}</dc:creator><guid isPermaLink="false">https://herald.example/?p=${n}</guid><description></description>
<content:encoded>${cdata(body)}</content:encoded>
<excerpt:encoded>${cdata(w.chance(0.5) ? w.words(words, w.between(15, 30)) : '')}</excerpt:encoded>
<wp:post_id>${n}</wp:post_id><wp:post_date>${date}</wp:post_date><wp:post_date_gmt>${date}</wp:post_date_gmt><wp:comment_status>open</wp:comment_status><wp:ping_status>open</wp:ping_status><wp:post_name>story-${n}</wp:post_name><wp:status>${status}</wp:status><wp:post_parent>0</wp:post_parent><wp:menu_order>0</wp:menu_order><wp:post_type>post</wp:post_type><wp:post_password></wp:post_password><wp:is_sticky>0</wp:is_sticky>
<category domain="category" nicename="${category[0]}">${cdata(category[1])}</category>
${[...new Set(tags)].map((t) => `<category domain="post_tag" nicename="${t.replace(' ', '-')}">${cdata(t)}</category>`).join('')}
<wp:postmeta><wp:meta_key>_edit_last</wp:meta_key><wp:meta_value>${cdata('1')}</wp:meta_value></wp:postmeta>
`;
  // Exactly the comments asked for overall: each post takes its share, give or take.
  const share = commentsLeft / postsLeft;
  const count = postsLeft === 1 ? commentsLeft : Math.min(commentsLeft, Math.max(0, Math.round(share + (w.fraction() - 0.5) * 4)));
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const id = nextComment.id++;
    const parent = ids.length && w.chance(0.35) ? w.pick(ids) : 0;
    ids.push(id);
    item += comment(w, id, parent, date, words);
  }
  counts.comments += count;
  counts.posts += 1;
  w.write(item + '</item>\n');
}

/**
 * Writes a WXR file of `posts` posts and `comments` comments to `file`; the same bytes for the same
 * arguments. Returns its size in bytes.
 */
export function writeWxr(file: string, posts: number, comments: number, seed = 20261129): { bytes: number; posts: number; comments: number } {
  const fd = fs.openSync(file, 'w');
  try {
    const w = new Writer(fd, seed);
    head(w);
    const counts: Counts = { posts: 0, comments: 0 };
    const nextComment = { id: 1 };
    for (let n = 1; n <= posts; n++) post(w, n, counts, nextComment, comments - counts.comments, posts - n + 1);
    w.write('</channel>\n</rss>\n');
    w.flush();
    return { bytes: w.bytes, ...counts };
  } finally {
    fs.closeSync(fd);
  }
}
