// Demo content: the seed page (seed-article.txt, one real page of a news site) turned into data, plus the
// article its "Check Also" box points to and two short right-to-left articles (Arabic, Persian).
import fs from 'node:fs';
import type { Store } from '../db/store.ts';
import { projectFile } from '../lib/project-files.ts';
import { createArticle, type ArticleInput } from '../articles/article.service.ts';
import { articleIdAt, hasArticles } from '../articles/article.lookups.ts';
import { defineSection } from '../sections/section.service.ts';
import { definePerson } from '../people/person.service.ts';
import { definePage } from '../pages/page.service.ts';

const ABOUT_PAGE = `Gazette is a demonstration of a news site that carries its **sources as data**: every report names
who reported it, who relayed it, and which documents and people were quoted.

The articles here are demonstration content, built from one real page of a news site and short
translations of it into Arabic and Persian.`;

const SEED_FILE = projectFile('src/demo/seed-article.txt');

export interface SeedPage {
  headline: string;
  section: string;
  subtitle: string;
  paragraphs: string[];
}

/**
 * Reads the seed page: headline on the first line, "Section: Headline; Subtitle" on the third block,
 * then the body paragraphs up to the "Check Also" box.
 */
export function readSeedPage(file = SEED_FILE): SeedPage {
  const blocks = fs
    .readFileSync(file, 'utf8')
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter(Boolean);
  const headline = blocks[0] ?? '';
  const label = blocks[2] ?? '';
  const m = /^([^:]+):\s*(.+?);\s*(.+)$/.exec(label);
  if (!m) throw new Error(`${file}: the third block should read "Section: Headline; Subtitle", got "${label.slice(0, 80)}"`);
  const end = blocks.indexOf('Check Also');
  if (end < 0) throw new Error(`${file}: no "Check Also" block found`);
  return { headline, section: m[1]!.trim(), subtitle: m[3]!.trim(), paragraphs: blocks.slice(3, end) };
}

/** Markdown that renders as exactly the given text: characters Markdown would read as syntax are escaped. */
export function plainParagraphs(paragraphs: readonly string[]): string {
  return paragraphs.map((p) => p.replace(/[\\`*_{}[\]()#+!<>|~]/g, '\\$&').replace(/^(\d+)\./, '$1\\.').replace(/^-/, '\\-')).join('\n\n');
}

export interface DemoResult {
  created: string[];
  skipped: boolean;
}

/** Loads the demo content once; a second call finds it present and does nothing. */
export async function loadDemo(store: Store): Promise<DemoResult> {
  const { db } = store;
  const present = await db.selectFrom('site_state').select('value').where('key', '=', 'demo_loaded').executeTakeFirst();
  if (present) return { created: [], skipped: true };

  const seed = readSeedPage();
  await defineSection(store, { slug: 'news', name: seed.section, description: 'Reporting from the region, with every source named.', language: 'en', position: 0 });
  await defineSection(store, {
    slug: 'occupied-palestinian-territories',
    name: 'Occupied Palestinian Territories',
    description: 'Reports on Israel and the Occupied Palestinian Territories.',
    language: 'en',
    position: 1,
  });
  await defineSection(store, { slug: 'akhbar', name: 'أخبار', description: 'أخبار المنطقة بمصادرها.', language: 'ar', position: 2 });
  await defineSection(store, { slug: 'khabar', name: 'خبر', description: 'خبرهای منطقه با منابعشان.', language: 'fa', position: 3 });
  await definePerson(store, {
    slug: 'international-desk',
    name: 'International Desk',
    bio: 'The translation and international desk: reports from the regional press, relayed with their sources.',
    url: null,
  });

  const articles: ArticleInput[] = [
    {
      section: 'occupied-palestinian-territories',
      slug: 'israel-and-occupied-palestinian-territories-2022',
      headline: 'Israel And Occupied Palestinian Territories 2022',
      subtitle: 'Amnesty International’s yearly account of rights in Israel and the Occupied Palestinian Territories',
      body: plainParagraphs([
        'According to Mouood, quoting by Amnesty: Israel And Occupied Palestinian Territories 2022',
        'Israel’s continuing oppressive rule over Palestinians is the subject of the yearly country entry that Amnesty International publishes on Israel and the Occupied Palestinian Territories.',
        'This is demonstration content: only the opening of the original report was captured with the seed page, so the rest of it is not reproduced here.',
      ]),
      authors: ['international-desk'],
      tags: ['Amnesty International', 'Human rights'],
      sources: [
        { name: 'Mouood', description: 'News website', kind: 'outlet', role: 'relayed' },
        { name: 'Amnesty International', description: 'Human rights organisation; yearly country report', kind: 'outlet', role: 'reported', url: 'https://www.amnesty.org' },
      ],
      publishedAt: '2022-01-12T08:00:00Z',
      updatedAt: '2022-01-12T08:00:00Z',
    },
    {
      section: 'news',
      slug: 'disclosure-of-confidential-document',
      headline: seed.headline,
      subtitle: seed.subtitle,
      body: plainParagraphs(seed.paragraphs),
      authors: ['international-desk'],
      tags: ['Iraq', 'United States', 'Al-Akhbar'],
      sources: [
        { name: 'Al-Akhbar', description: 'Lebanese daily newspaper', kind: 'outlet', role: 'reported', url: 'https://al-akhbar.com' },
        { name: 'Fars News Agency, International Group', description: 'Iranian news agency; its international desk', kind: 'agency', role: 'relayed', url: 'https://www.farsnews.ir' },
        {
          name: 'Classified statement on the US–Iraqi strategic dialogue',
          description: 'Confidential document obtained by Al-Akhbar',
          kind: 'document',
          role: 'quoted',
          document: { title: 'Classified statement on the US–Iraqi strategic dialogue (September 2021)' },
        },
        { name: 'General Richard Bell', description: 'Deputy Commander of the International Coalition Forces in Iraq', kind: 'person', role: 'quoted' },
      ],
      pins: ['occupied-palestinian-territories/israel-and-occupied-palestinian-territories-2022'],
      publishedAt: '2022-01-16T09:30:00Z',
      updatedAt: '2022-01-16T13:45:00Z',
    },
    {
      section: 'akhbar',
      slug: 'kashf-wathiqa-sirriya',
      translationOf: 'news/disclosure-of-confidential-document',
      language: 'ar',
      headline: 'الكشف عن وثيقة سرية',
      subtitle: 'الولايات المتحدة لا تنوي مغادرة العراق',
      body: plainParagraphs([
        'ذكرت صحيفة الأخبار اللبنانية أن وثيقة سرية عن الاتفاق بين الرئيس الأميركي ورئيس الوزراء العراقي قد كُشفت، وأهم ما فيها أن الأميركيين لن ينسحبوا من العراق.',
        'وبحسب المجموعة الدولية في وكالة فارس للأنباء، جاء قرار الانسحاب بعد أن صوّت البرلمان العراقي بالإجماع على إخراج القوات الأجنبية في مطلع كانون الثاني/يناير 2020.',
      ]),
      authors: ['international-desk'],
      tags: ['العراق'],
      sources: [
        { name: 'الأخبار', description: 'صحيفة يومية لبنانية', kind: 'outlet', role: 'reported', url: 'https://al-akhbar.com' },
        { name: 'وكالة فارس للأنباء، المجموعة الدولية', description: 'وكالة أنباء إيرانية', kind: 'agency', role: 'relayed', url: 'https://www.farsnews.ir' },
      ],
      publishedAt: '2022-01-16T07:30:00Z',
      updatedAt: '2022-01-16T07:30:00Z',
    },
    {
      section: 'khabar',
      slug: 'efshaye-sanad-mahramaneh',
      translationOf: 'news/disclosure-of-confidential-document',
      language: 'fa',
      headline: 'افشای سند محرمانه',
      subtitle: 'آمریکا قصد خروج از عراق را ندارد',
      body: plainParagraphs([
        'روزنامه لبنانی الاخبار گزارش داد که سندی محرمانه از توافق رئیس‌جمهور آمریکا و نخست‌وزیر عراق فاش شده است که مهم‌ترین نتیجه آن عدم خروج آمریکایی‌ها از عراق است.',
        'به گزارش گروه بین‌الملل خبرگزاری فارس، تصمیم خروج پس از آن گرفته شد که پارلمان عراق در اوایل ژانویه ۲۰۲۰ به اتفاق آرا به اخراج نیروهای خارجی رأی داد.',
      ]),
      authors: ['international-desk'],
      tags: ['عراق'],
      sources: [
        { name: 'الاخبار', description: 'روزنامه لبنانی', kind: 'outlet', role: 'reported', url: 'https://al-akhbar.com' },
        { name: 'گروه بین‌الملل خبرگزاری فارس', description: 'خبرگزاری ایرانی', kind: 'agency', role: 'relayed', url: 'https://www.farsnews.ir' },
      ],
      publishedAt: '2022-01-16T08:00:00Z',
      updatedAt: '2022-01-16T08:00:00Z',
    },
  ];

  const created: string[] = [];
  // One transaction would be tidier, but each article already commits atomically with its relations,
  // and the marker below is written last: an interrupted load is finished by the next run.
  for (const input of articles) {
    const section = input.section;
    if ((await articleIdAt(db, section, input.slug ?? '')) !== undefined) continue;
    created.push((await createArticle(store, input)).path);
  }
  // Sections, the author and each article announced their own changes; the marker is on no page.
  await definePage(store, { slug: 'about', title: 'About Gazette', body: ABOUT_PAGE, language: 'en', status: 'published' });
  await db.insertInto('site_state').values({ key: 'demo_loaded', value: new Date().toISOString() }).execute();
  return { created, skipped: false };
}

/** True when the database holds no article yet and never had the demo loaded: `gazette serve` then loads it. */
export async function isEmptySite(store: Store): Promise<boolean> {
  const marker = await store.db.selectFrom('site_state').select('key').where('key', '=', 'demo_loaded').executeTakeFirst();
  return !marker && !(await hasArticles(store.db));
}
