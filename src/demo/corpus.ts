// A synthetic corpus for benchmarks and demos: `gazette demo --articles N [--seed S]`.
// Deterministic: the same seed and count give the same articles (dates count back from --end, by
// default the start of the current UTC day). About 70% English, 15% Arabic, 15% Persian; each article
// follows one topic so that "Check Also" has real neighbours, and lengths follow a long-tailed
// distribution (mostly 250–900 words, a few over 2,000), as a news archive does. Arabic and Persian
// text deliberately mixes spelling variants (harakat, tatweel, Arabic vs Persian yeh and kaf) so the
// search normalisation is exercised at scale. All word lists here were written for Gazette.
import type { Store } from '../db/store.ts';
import { slugify } from '../lib/slug.ts';
import { createArticles, type ArticleInput } from '../articles/article.service.ts';
import { defineSection, findSection } from '../sections/section.service.ts';
import { definePerson, findPerson } from '../people/person.service.ts';

/** A small, fast, seedable generator (mulberry32): plenty for text, never for secrets. */
export function randomSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Lang = 'en' | 'ar' | 'fa';

interface Topic {
  name: Record<Lang, string>;
  words: Record<Lang, string[]>;
}

const TOPICS: Topic[] = [
  {
    name: { en: 'Diplomacy', ar: 'دبلوماسية', fa: 'دیپلماسی' },
    words: {
      en: 'ambassador embassy talks negotiators envoy treaty summit ministers sanctions delegation accord ceasefire mediation dialogue visit foreign bilateral communique agreement diplomats consulate proposal framework'.split(' '),
      ar: 'سفير سفارة مفاوضات وفد معاهدة قمة وزراء عقوبات اتفاق وساطة حوار زيارة خارجية دبلوماسيون مقترح تفاهم'.split(' '),
      fa: 'سفیر سفارت مذاکرات هیئت معاهده اجلاس وزیران تحریم توافق میانجی‌گری گفت‌وگو دیدار خارجه دیپلمات‌ها پیشنهاد تفاهم‌نامه'.split(' '),
    },
  },
  {
    name: { en: 'Economy', ar: 'اقتصاد', fa: 'اقتصاد' },
    words: {
      en: 'inflation currency exports imports budget deficit central bank interest rates growth unemployment wages prices oil revenue investment markets tariffs subsidies debt recession factories'.split(' '),
      ar: 'تضخم عملة صادرات واردات موازنة عجز البنك المركزي فائدة نمو بطالة أجور أسعار النفط إيرادات استثمار أسواق رسوم دعم ديون ركود مصانع'.split(' '),
      fa: 'تورم ارز صادرات واردات بودجه کسری بانک مرکزی سود رشد بیکاری دستمزد قیمت‌ها نفت درآمد سرمایه‌گذاری بازار تعرفه یارانه بدهی رکود کارخانه'.split(' '),
    },
  },
  {
    name: { en: 'Security', ar: 'أمن', fa: 'امنیت' },
    words: {
      en: 'troops base drones airspace withdrawal forces coalition patrol attack convoy militia commander defence missiles border checkpoint deployment operation intelligence soldiers'.split(' '),
      ar: 'قوات قاعدة طائرات مسيرة المجال الجوي انسحاب تحالف دورية هجوم قافلة قائد دفاع صواريخ حدود حاجز انتشار عملية استخبارات جنود'.split(' '),
      fa: 'نیروها پایگاه پهپاد حریم هوایی خروج ائتلاف گشت حمله کاروان فرمانده دفاع موشک مرز ایست بازرسی استقرار عملیات اطلاعات سربازان'.split(' '),
    },
  },
  {
    name: { en: 'Rights', ar: 'حقوق الإنسان', fa: 'حقوق بشر' },
    words: {
      en: 'detention prisoners court trial lawyers rights report amnesty torture protest journalists freedom censorship verdict appeal sentence activists evictions displacement testimony'.split(' '),
      ar: 'احتجاز أسرى محكمة محاكمة محامون حقوق تقرير عفو تعذيب احتجاج صحفيون حرية رقابة حكم استئناف ناشطون تهجير شهادة'.split(' '),
      fa: 'بازداشت زندانیان دادگاه محاکمه وکیلان حقوق گزارش عفو شکنجه اعتراض روزنامه‌نگاران آزادی سانسور حکم تجدیدنظر فعالان تخلیه آوارگی شهادت'.split(' '),
    },
  },
  {
    name: { en: 'Energy', ar: 'طاقة', fa: 'انرژی' },
    words: {
      en: 'pipeline gas electricity grid refinery barrels production output blackout solar power plant fuel shortages tanker exports reserves drilling contracts'.split(' '),
      ar: 'أنابيب غاز كهرباء شبكة مصفاة براميل إنتاج انقطاع الطاقة الشمسية محطة وقود نقص ناقلة احتياطيات حفر عقود'.split(' '),
      fa: 'خط لوله گاز برق شبکه پالایشگاه بشکه تولید خاموشی خورشیدی نیروگاه سوخت کمبود نفتکش ذخایر حفاری قراردادها'.split(' '),
    },
  },
  {
    name: { en: 'Health', ar: 'صحة', fa: 'سلامت' },
    words: {
      en: 'hospital doctors patients vaccine outbreak clinic medicines shortage nurses ministry epidemic cases treatment surgery ambulance pharmacy water sanitation'.split(' '),
      ar: 'مستشفى أطباء مرضى لقاح تفش عيادة أدوية نقص ممرضون وزارة وباء حالات علاج جراحة إسعاف صيدلية مياه'.split(' '),
      fa: 'بیمارستان پزشکان بیماران واکسن شیوع درمانگاه دارو کمبود پرستاران وزارت همه‌گیری موارد درمان جراحی آمبولانس داروخانه آب'.split(' '),
    },
  },
  {
    name: { en: 'Culture', ar: 'ثقافة', fa: 'فرهنگ' },
    words: {
      en: 'festival film novel museum poetry exhibition theatre musicians heritage manuscripts archive library translation award director painters concert'.split(' '),
      ar: 'مهرجان فيلم رواية متحف شعر معرض مسرح موسيقيون تراث مخطوطات أرشيف مكتبة ترجمة جائزة مخرج رسامون حفل'.split(' '),
      fa: 'جشنواره فیلم رمان موزه شعر نمایشگاه تئاتر موسیقی‌دانان میراث نسخه‌های خطی آرشیو کتابخانه ترجمه جایزه کارگردان نقاشان کنسرت'.split(' '),
    },
  },
  {
    name: { en: 'Elections', ar: 'انتخابات', fa: 'انتخابات' },
    words: {
      en: 'parliament vote ballots candidates turnout campaign coalition parties majority seats constitution referendum lawmakers cabinet speaker opposition polling results'.split(' '),
      ar: 'برلمان تصويت اقتراع مرشحون مشاركة حملة ائتلاف أحزاب أغلبية مقاعد دستور استفتاء نواب حكومة رئيس المعارضة نتائج'.split(' '),
      fa: 'مجلس رأی صندوق نامزدها مشارکت کارزار ائتلاف احزاب اکثریت کرسی قانون اساسی همه‌پرسی نمایندگان کابینه رئیس مخالفان نتایج'.split(' '),
    },
  },
];

const PLACES: Record<Lang, string[]> = {
  en: 'Baghdad Beirut Tehran Damascus Amman Cairo Gaza Ramallah Basra Mosul Erbil Aleppo Sanaa Doha Riyadh Ankara Geneva Vienna Washington Brussels'.split(' '),
  ar: 'بغداد بيروت طهران دمشق عمان القاهرة غزة رام الله البصرة الموصل أربيل حلب صنعاء الدوحة الرياض أنقرة جنيف فيينا واشنطن'.split(' '),
  fa: 'بغداد بیروت تهران دمشق امان قاهره غزه رام‌الله بصره موصل اربیل حلب صنعا دوحه ریاض آنکارا ژنو وین واشنگتن'.split(' '),
};

const COMMON: Record<Lang, string[]> = {
  en: 'the the the of of to to and and in in a a that said on for with was is by as officials report according government after before which new week city people region said were their would could about since local statement sources announced during against over under while also more than two three several last year month early late on friday on monday this told reporters added spokesman'.split(' '),
  ar: 'في في من من على على إلى أن أن عن مع الذي التي قال قالت وقال وأضاف المسؤولون تقرير وفقاً الحكومة بعد قبل الأسبوع المدينة الناس المنطقة كانت كما أيضاً خلال ضد منذ مصادر أعلن بيان يوم الجمعة الاثنين العام الشهر الماضي'.split(' '),
  fa: 'در در از از به به و و که که را با این آن گفت گفته مقامات گزارش به گفته دولت پس از پیش از هفته شهر مردم منطقه بود بودند همچنین طی علیه از زمان منابع اعلام کرد بیانیه روز جمعه دوشنبه سال ماه گذشته'.split(' '),
};

/** Spelling variants a reader or a writer may use; the corpus uses them now and then. */
const VARIANTS: Record<'ar' | 'fa', [RegExp, string][]> = {
  ar: [
    [/ي(?=\s|$)/g, 'ى'],
    [/ة(?=\s|$)/g, 'ه'],
    [/أ/g, 'ا'],
    [/ح/g, 'حـ'],
  ],
  fa: [
    [/ی/g, 'ي'],
    [/ک/g, 'ك'],
    [/\u200C/g, ' '],
  ],
};
const HARAKAT = ['\u064E', '\u064F', '\u0650', '\u0651', '\u0652'];

const FIRST = 'Amira Karim Leila Omar Sara Yusuf Nadia Hassan Mina Reza Farah Ali Dana Samir Hoda Kaveh Rana Tariq Shirin Jamal'.split(' ');
const LAST = 'Haddad Karimi Saleh Nasser Rahimi Khoury Tehrani Mansour Azizi Farouk Jaber Sadeghi Aziz Hamdan Moradi Shami Bakr Najafi Issa Darwish'.split(' ');

// A real archive has tens of thousands of distinct words, most of them rare; the lists above have a few
// hundred. Generated words fill the long tail: English-like syllable chains, Arabic roots poured into
// the usual patterns (فاعل، مفعول، تفعيل …) and Persian syllable chains with common suffixes.
const VOCABULARY_SIZE = 12_000;
const EN_ONSETS = 'b c d f g h l m n p r s t v w br cr dr fl gr pl pr sc sl st tr sh ch th'.split(' ');
const EN_VOWELS = 'a e i o u ai ea ou io'.split(' ');
const EN_CODAS = ['', '', 'n', 'r', 's', 'l', 'm', 'nt', 'st', 'ck', 'rd', 'ng'];
const AR_CONSONANTS = [...'بتثجحخدذرزسشصضطعغفقكلمنهوي'];
const AR_PATTERNS = ['1ا23', 'م12و3', 'ت12ي3', '12ا3', 'است12ا3', 'م123', '123ة', '12ي3', 'ال1ا23', 'م1ا23ة'];
const FA_CONSONANTS = [...'بپتجچخدرزژسشفکگلمنهی'];
const FA_VOWELS = ['ا', 'و', 'ی', '', ''];
const FA_SUFFIXES = ['', '', 'ها', 'ی', 'ان', 'گاه', 'ستان', 'مند'];

function vocabulary(language: Lang, rnd: () => number): string[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const out = new Set<string>();
  while (out.size < VOCABULARY_SIZE) {
    if (language === 'en') {
      const syllables = 2 + Math.floor(rnd() * 2);
      let w = '';
      for (let i = 0; i < syllables; i++) w += pick(EN_ONSETS) + pick(EN_VOWELS);
      out.add(w + pick(EN_CODAS));
    } else if (language === 'ar') {
      const root = [pick(AR_CONSONANTS), pick(AR_CONSONANTS), pick(AR_CONSONANTS)];
      out.add(pick(AR_PATTERNS).replace(/[123]/g, (d) => root[Number(d) - 1]!));
    } else {
      const syllables = 2 + Math.floor(rnd() * 2);
      let w = '';
      for (let i = 0; i < syllables; i++) w += pick(FA_CONSONANTS) + pick(FA_VOWELS);
      out.add(w + pick(FA_SUFFIXES));
    }
  }
  return [...out];
}

export interface CorpusArticle {
  n: number;
  language: Lang;
  section: string;
  slug: string;
  headline: string;
  subtitle: string;
  body: string;
  tags: string[];
  author: string;
  publishedAt: string;
}

export interface CorpusOptions {
  articles: number;
  seed: number;
  /** Articles are dated over the three years before this instant, newest last. */
  end: Date;
}

const SECTIONS: Record<Lang, { slug: string; name: string }[]> = {
  en: [
    { slug: 'news', name: 'News' },
    { slug: 'world', name: 'World' },
    { slug: 'business', name: 'Business' },
    { slug: 'culture', name: 'Culture' },
  ],
  ar: [{ slug: 'akhbar', name: 'أخبار' }, { slug: 'iqtisad', name: 'اقتصاد' }],
  fa: [{ slug: 'khabar', name: 'خبر' }, { slug: 'eqtesad', name: 'اقتصاد' }],
};

/** The articles of a corpus, one at a time; nothing is stored. */
export function* generateCorpus(options: CorpusOptions): Generator<CorpusArticle> {
  const rnd = randomSource(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const vocab: Record<Lang, string[]> = { en: vocabulary('en', rnd), ar: vocabulary('ar', rnd), fa: vocabulary('fa', rnd) };
  // Zipf-like: a few generated words are common, most are rare. Each topic favours its own slice.
  const slice = Math.floor(VOCABULARY_SIZE / TOPICS.length);
  const rare = (language: Lang, topicIndex: number) => {
    const rank = Math.floor(Math.pow(rnd(), 2.5) * (rnd() < 0.7 ? slice : VOCABULARY_SIZE));
    return vocab[language][rnd() < 0.7 ? (topicIndex * slice + rank) % VOCABULARY_SIZE : rank]!;
  };
  const span = 3 * 365 * 86_400_000;
  const start = options.end.getTime() - span;
  for (let n = 1; n <= options.articles; n++) {
    const r = rnd();
    const language: Lang = r < 0.7 ? 'en' : r < 0.85 ? 'ar' : 'fa';
    const topicIndex = Math.floor(rnd() * TOPICS.length);
    const topic = TOPICS[topicIndex]!;
    const second = pick(TOPICS);
    const place = pick(PLACES[language]);
    const sentence = (min: number, max: number) => {
      const count = min + Math.floor(rnd() * (max - min + 1));
      const ws: string[] = [];
      for (let i = 0; i < count; i++) {
        const x = rnd();
        ws.push(
          x < 0.42 ? pick(COMMON[language])
          : x < 0.62 ? pick(topic.words[language])
          : x < 0.68 ? pick(second.words[language])
          : x < 0.71 ? place
          : x < 0.74 ? String(1 + Math.floor(rnd() * 2025))
          : rare(language, topicIndex),
        );
      }
      let s = ws.join(' ');
      if (language !== 'en') {
        for (const [re, by] of VARIANTS[language]) if (rnd() < 0.15) s = s.replace(re, by);
        if (rnd() < 0.1) s = s.replace(/([\u0621-\u064A])/u, `$1${pick(HARAKAT)}`);
      }
      return `${language === 'en' ? s.charAt(0).toUpperCase() + s.slice(1) : s}.`;
    };
    // Long tail: exp of a normal-ish variable gives mostly 250–900 words and a few very long pieces.
    const normal = (rnd() + rnd() + rnd() - 1.5) * 2;
    const targetWords = Math.max(120, Math.min(4000, Math.round(450 * Math.exp(normal * 0.45))));
    const paragraphs: string[] = [];
    let words = 0;
    while (words < targetWords) {
      const sentences: string[] = [];
      const k = 2 + Math.floor(rnd() * 4);
      for (let i = 0; i < k; i++) sentences.push(sentence(8, 28));
      const p = sentences.join(' ');
      words += p.split(' ').length;
      paragraphs.push(p);
    }
    const headlineWords = [place, ...Array.from({ length: 4 + Math.floor(rnd() * 5) }, () => (rnd() < 0.6 ? pick(topic.words[language]) : rare(language, topicIndex)))];
    const headline = language === 'en' ? headlineWords.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ') : headlineWords.join(' ');
    const section = pick(SECTIONS[language]).slug;
    const tags = [topic.name[language], place, ...(rnd() < 0.3 ? [second.name[language]] : [])];
    // Evenly spread over the span with jitter, so the newest articles fall in the news sitemap window.
    const at = start + ((n - 1 + rnd()) / options.articles) * span;
    yield {
      n,
      language,
      section,
      slug: `${slugify(headline).slice(0, 80).replace(/-+$/, '') || 'article'}-${n}`,
      headline,
      subtitle: sentence(10, 20),
      body: paragraphs.join('\n\n'),
      tags,
      author: `${pick(FIRST)} ${pick(LAST)}`,
      publishedAt: new Date(Math.min(at, options.end.getTime() - 60_000)).toISOString(),
    };
  }
}

/** Which part of a corpus load a progress report is about. */
export type CorpusStage = 'articles' | 'check-also';

/**
 * Stores a generated corpus (after the regular demo content, whose sections it shares) through the
 * article service's bulk writer: the same validation as any article, indexed for search batch by
 * batch, then every new article's "Check Also" list computed, as on a site whose articles were written
 * one by one. Refuses to run twice on one database.
 */
export async function loadCorpus(
  store: Store,
  options: CorpusOptions,
  onProgress: (stage: CorpusStage, done: number, total: number) => void = () => {},
): Promise<{ created: number; skipped: boolean }> {
  const { db } = store;
  const marker = `seed ${options.seed}, ${options.articles} articles`;
  const present = await db.selectFrom('site_state').select('value').where('key', '=', 'demo_corpus').executeTakeFirst();
  if (present) return { created: 0, skipped: true };

  let position = 10;
  for (const [language, list] of Object.entries(SECTIONS))
    for (const s of list) if (!(await findSection(db, s.slug))) await defineSection(store, { slug: s.slug, name: s.name, description: '', language, position: position++ });

  // Authors are people first: an article names existing authors by slug.
  const authors = new Set<string>();
  async function* inputs(): AsyncGenerator<ArticleInput> {
    for (const a of generateCorpus(options)) {
      const slug = slugify(a.author);
      if (!authors.has(slug)) {
        if (!(await findPerson(db, slug))) await definePerson(store, { slug, name: a.author, bio: '', url: null });
        authors.add(slug);
      }
      yield {
        section: a.section,
        slug: a.slug,
        language: a.language,
        headline: a.headline,
        subtitle: a.subtitle,
        body: a.body,
        tags: a.tags,
        authors: [slug],
        status: 'published',
        publishedAt: a.publishedAt,
        updatedAt: a.publishedAt,
      };
    }
  }
  onProgress('articles', 0, options.articles);
  const ids = await createArticles(store, inputs(), {
    stored: (done) => onProgress('articles', done, options.articles),
    related: (done, total) => onProgress('check-also', done, total),
  });
  await db.insertInto('site_state').values({ key: 'demo_corpus', value: marker }).execute();
  return { created: ids.length, skipped: false };
}
