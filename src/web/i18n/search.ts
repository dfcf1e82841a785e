// Fixed strings of the search page and the masthead's search box, in each language the site carries.
import { baseLanguage } from './format.ts';

export interface SearchStrings {
  search: string;
  searchTitle: string;
  resultsFor: (query: string) => string;
  queryLabel: string;
  submit: string;
  filters: string;
  section: string;
  language: string;
  anySection: string;
  anyLanguage: string;
  from: string;
  to: string;
  count: (n: number, capped: boolean) => string;
  noQuery: string;
  noResults: (query: string) => string;
  tips: string[];
  tryInstead: string;
  latestInstead: string;
  truncated: string;
  broadPrefix: (word: string) => string;
  languageName: (code: string) => string;
  feedTitle: (name: string) => string;
}

/**
 * What the reader typed, isolated from the sentence around it (Unicode FSI … PDI), so an Arabic query in
 * an English sentence, or the reverse, keeps its own direction and does not reorder the quotes around it.
 */
const typed = (text: string) => `\u2068${text}\u2069`;

const names = (locale: string) => {
  const dn = new Intl.DisplayNames([locale], { type: 'language' });
  return (code: string) => dn.of(code) ?? code;
};

const en: SearchStrings = {
  search: 'Search',
  searchTitle: 'Search',
  resultsFor: (q) => `Search results for “${typed(q)}”`,
  queryLabel: 'Search for',
  submit: 'Search',
  filters: 'Narrow the search',
  section: 'Section',
  language: 'Language',
  anySection: 'All sections',
  anyLanguage: 'All languages',
  from: 'From',
  to: 'To',
  count: (n, capped) => (capped ? `More than ${n} articles found` : n === 1 ? '1 article found' : `${n} articles found`),
  noQuery: 'Type one or more words to search every published article. Put a phrase in "double quotes"; end a word with * to match words that start with it.',
  noResults: (q) => `No article matches “${typed(q)}”.`,
  tips: ['Check the spelling, or try another word for the same thing.', 'Use fewer words: every word you type must appear in an article.', 'End a word with * to find every word that starts with it, e.g. negotiat*.'],
  tryInstead: 'These searches do find articles:',
  latestInstead: 'The latest articles',
  truncated: 'Only the first words of this long search were used.',
  broadPrefix: (w) => `“${typed(w + '*')}” stands for too many words to search them all, so it was searched as the word “${typed(w)}”. Type more letters before the * to find words that start with them.`,
  languageName: names('en'),
  feedTitle: (name) => `${name} (RSS)`,
};

const ar: SearchStrings = {
  search: 'بحث',
  searchTitle: 'البحث',
  resultsFor: (q) => `نتائج البحث عن «${typed(q)}»`,
  queryLabel: 'ابحث عن',
  submit: 'ابحث',
  filters: 'تضييق البحث',
  section: 'القسم',
  language: 'اللغة',
  anySection: 'كل الأقسام',
  anyLanguage: 'كل اللغات',
  from: 'من',
  to: 'إلى',
  count: (n, capped) => (capped ? `عُثر على أكثر من ${n} مقال` : `عدد المقالات: ${n}`),
  noQuery: 'اكتب كلمة أو أكثر للبحث في كل المقالات المنشورة. ضع العبارة بين "علامتي تنصيص"، وأنهِ الكلمة بـ * لتطابق كل كلمة تبدأ بها.',
  noResults: (q) => `لا يوجد مقال يطابق «${typed(q)}».`,
  tips: ['تحقق من الإملاء أو جرّب كلمة أخرى بالمعنى نفسه.', 'استخدم كلمات أقل: يجب أن ترد كل كلمة تكتبها في المقال.', 'أنهِ الكلمة بـ * لتجد كل كلمة تبدأ بها.'],
  tryInstead: 'عمليات البحث هذه تجد مقالات:',
  latestInstead: 'أحدث المقالات',
  truncated: 'استُخدمت الكلمات الأولى فقط من هذا البحث الطويل.',
  broadPrefix: (w) => `«${typed(w + '*')}» يشمل كلمات كثيرة جدًا، فبُحث عنه بوصفه الكلمة «${typed(w)}». اكتب أحرفًا أكثر قبل * للعثور على الكلمات التي تبدأ بها.`,
  languageName: names('ar'),
  feedTitle: (name) => `${name} (RSS)`,
};

const fa: SearchStrings = {
  search: 'جستجو',
  searchTitle: 'جستجو',
  resultsFor: (q) => `نتایج جستجو برای «${typed(q)}»`,
  queryLabel: 'جستجوی',
  submit: 'جستجو',
  filters: 'محدود کردن جستجو',
  section: 'بخش',
  language: 'زبان',
  anySection: 'همه بخش‌ها',
  anyLanguage: 'همه زبان‌ها',
  from: 'از',
  to: 'تا',
  count: (n, capped) => (capped ? `بیش از ${n} مطلب پیدا شد` : `${n} مطلب پیدا شد`),
  noQuery: 'یک یا چند واژه بنویسید تا همه مطالب منتشرشده جستجو شوند. عبارت را میان "گیومه" بگذارید و برای یافتن واژه‌هایی که با واژه‌ای آغاز می‌شوند، در پایان آن * بگذارید.',
  noResults: (q) => `هیچ مطلبی با «${typed(q)}» پیدا نشد.`,
  tips: ['املای واژه را بررسی کنید یا واژه دیگری با همان معنا بیازمایید.', 'واژه‌های کمتری بنویسید: همه واژه‌ها باید در مطلب باشند.', 'در پایان واژه * بگذارید تا همه واژه‌هایی که با آن آغاز می‌شوند پیدا شوند.'],
  tryInstead: 'این جستجوها مطلب پیدا می‌کنند:',
  latestInstead: 'تازه‌ترین مطالب',
  truncated: 'تنها واژه‌های نخست این جستجوی بلند به کار رفت.',
  broadPrefix: (w) => `«${typed(w + '*')}» واژه‌های بسیار زیادی را در بر می‌گیرد، پس همان واژهٔ «${typed(w)}» جستجو شد. برای یافتن واژه‌هایی که با آن آغاز می‌شوند، حروف بیشتری پیش از * بنویسید.`,
  languageName: names('fa'),
  feedTitle: (name) => `${name} (RSS)`,
};

const STRINGS: Record<string, SearchStrings> = { en, ar, fa };

/** Search strings for a language, English for languages the site does not carry. */
export function searchStrings(language: string): SearchStrings {
  return STRINGS[baseLanguage(language)] ?? en;
}
