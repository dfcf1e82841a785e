// The site's fixed words in each language a page can be in: the frame of every page, article pages and
// listings, the comment form's labels, error pages. A page takes its language from its content (an
// article's language, a section's language). Theme-neutral: routes read titles here, and any theme
// shows the same words.
import type { SourceKind, SourceRole } from '../../db/schema.ts';
import { baseLanguage, formatNumber as num } from './format.ts';

export interface Strings {
  skipToContent: string;
  sections: string;
  by: string;
  published: string;
  updated: string;
  sources: string;
  sourcesIntro: string;
  kind: Record<SourceKind, string>;
  role: Record<SourceRole, string>;
  documentNotHeld: string;
  documentHeld: string;
  documentDownload: string;
  /** How a reader checks a downloaded document against the SHA-256 shown. */
  documentVerify: string;
  checkAlso: string;
  leaveReply: string;
  emailNotPublished: string;
  requiredMarked: string;
  name: string;
  email: string;
  website: string;
  comment: string;
  postComment: string;
  commentsClosed: string;
  tags: string;
  latest: string;
  /** The mark on a home page card an editor pinned there. */
  pinned: string;
  more: string;
  previous: string;
  next: string;
  pageOf: (page: number, count: number) => string;
  noArticles: string;
  notFoundTitle: string;
  notFoundText: string;
  badRequestTitle: string;
  goHome: string;
  errorTitle: string;
  unavailableTitle: string;
  unavailableText: string;
  articlesBy: (name: string) => string;
  taggedWith: (name: string) => string;
  readingTime: (minutes: number) => string;
  poweredBy: string;
  /** Name of the footer's navigation landmark. */
  footerLinks: string;
}

const en: Strings = {
  skipToContent: 'Skip to content',
  sections: 'Sections',
  by: 'By',
  published: 'Published',
  updated: 'Updated',
  sources: 'Sources',
  sourcesIntro: 'Who this report rests on, and what each did.',
  kind: { outlet: 'Newspaper or outlet', agency: 'News agency', document: 'Document', person: 'Person' },
  role: { reported: 'Reported', relayed: 'Relayed', quoted: 'Quoted', obtained: 'Obtained' },
  documentNotHeld: 'Not held by this publication',
  documentHeld: 'Held by this publication',
  documentDownload: 'Download',
  documentVerify: 'To check that your copy is the file we hold, compare its SHA-256 with the one shown: sha256sum FILE on Linux, shasum -a 256 FILE on macOS, Get-FileHash FILE in Windows PowerShell.',
  checkAlso: 'Check Also',
  leaveReply: 'Leave a Reply',
  emailNotPublished: 'Your email address will not be published.',
  requiredMarked: 'Required fields are marked',
  name: 'Name',
  email: 'Email',
  website: 'Website',
  comment: 'Comment',
  postComment: 'Post Comment',
  commentsClosed: 'Comments are closed for this article.',
  tags: 'Tags',
  latest: 'Latest',
  pinned: 'Pinned',
  more: 'More from',
  previous: 'Newer',
  next: 'Older',
  pageOf: (p, n) => `Page ${p} of ${n}`,
  noArticles: 'Nothing has been published here yet.',
  notFoundTitle: 'Page not found',
  notFoundText: 'There is nothing at this address. It may have moved, or the link may be mistyped.',
  badRequestTitle: 'This request cannot be answered',
  goHome: 'Go to the front page',
  errorTitle: 'Something went wrong',
  unavailableTitle: 'Back in a moment',
  unavailableText: 'The site cannot reach its database just now. Please try again in a few moments.',
  articlesBy: (name) => `Articles by ${name}`,
  taggedWith: (name) => `Tagged “${name}”`,
  readingTime: (m) => `${m} min read`,
  poweredBy: 'Published with Gazette',
  footerLinks: 'About this site',
};

const ar: Strings = {
  skipToContent: 'انتقل إلى المحتوى',
  sections: 'الأقسام',
  by: 'بقلم',
  published: 'نُشر في',
  updated: 'حُدّث في',
  sources: 'المصادر',
  sourcesIntro: 'المصادر التي يستند إليها هذا التقرير ودور كل منها.',
  kind: { outlet: 'صحيفة أو وسيلة إعلام', agency: 'وكالة أنباء', document: 'وثيقة', person: 'شخص' },
  role: { reported: 'نشر الخبر', relayed: 'نقل الخبر', quoted: 'مُقتبس', obtained: 'حصل عليها' },
  documentNotHeld: 'ليست في حوزة هذه الصحيفة',
  documentHeld: 'في حوزة هذه الصحيفة',
  documentDownload: 'تنزيل',
  documentVerify: 'للتحقق من أن نسختك هي الملف الذي نحتفظ به، قارن بصمة SHA-256 الخاصة به بالبصمة المعروضة: sha256sum FILE على لينكس، وshasum -a 256 FILE على ماك، وGet-FileHash FILE في PowerShell على ويندوز.',
  checkAlso: 'اقرأ أيضاً',
  leaveReply: 'اترك تعليقاً',
  emailNotPublished: 'لن يتم نشر عنوان بريدك الإلكتروني.',
  requiredMarked: 'الحقول الإلزامية مشار إليها بـ',
  name: 'الاسم',
  email: 'البريد الإلكتروني',
  website: 'الموقع الإلكتروني',
  comment: 'التعليق',
  postComment: 'أرسل التعليق',
  commentsClosed: 'التعليقات مغلقة على هذا المقال.',
  tags: 'الوسوم',
  latest: 'الأحدث',
  pinned: 'مثبّت',
  more: 'المزيد من',
  previous: 'الأحدث',
  next: 'الأقدم',
  pageOf: (p, n) => `الصفحة ${num('ar', p)} من ${num('ar', n)}`,
  noArticles: 'لم يُنشر شيء هنا بعد.',
  notFoundTitle: 'الصفحة غير موجودة',
  notFoundText: 'لا يوجد شيء على هذا العنوان. ربما نُقل أو أن الرابط غير صحيح.',
  badRequestTitle: 'لا يمكن تلبية هذا الطلب',
  goHome: 'اذهب إلى الصفحة الرئيسية',
  errorTitle: 'حدث خطأ',
  unavailableTitle: 'نعود بعد قليل',
  unavailableText: 'لا يستطيع الموقع الوصول إلى قاعدة بياناته الآن. يُرجى المحاولة بعد لحظات.',
  articlesBy: (name) => `مقالات ${name}`,
  taggedWith: (name) => `الوسم «${name}»`,
  readingTime: (m) => `${num('ar', m)} د للقراءة`,
  poweredBy: 'يُنشر بواسطة Gazette',
  footerLinks: 'عن الموقع',
};

const fa: Strings = {
  skipToContent: 'پرش به محتوا',
  sections: 'بخش‌ها',
  by: 'نوشته',
  published: 'انتشار',
  updated: 'به‌روزرسانی',
  sources: 'منابع',
  sourcesIntro: 'منابعی که این گزارش بر آن‌ها استوار است و نقش هر یک.',
  kind: { outlet: 'روزنامه یا رسانه', agency: 'خبرگزاری', document: 'سند', person: 'شخص' },
  role: { reported: 'گزارش داد', relayed: 'بازنشر کرد', quoted: 'نقل‌قول', obtained: 'به دست آورد' },
  documentNotHeld: 'در اختیار این نشریه نیست',
  documentHeld: 'در اختیار این نشریه است',
  documentDownload: 'دریافت',
  documentVerify: 'برای اطمینان از اینکه نسخهٔ شما همان پرونده‌ای است که ما در اختیار داریم، SHA-256 آن را با مقدار نشان‌داده‌شده مقایسه کنید: sha256sum FILE در لینوکس، shasum -a 256 FILE در مک، Get-FileHash FILE در PowerShell ویندوز.',
  checkAlso: 'همچنین بخوانید',
  leaveReply: 'دیدگاهی بنویسید',
  emailNotPublished: 'نشانی ایمیل شما منتشر نخواهد شد.',
  requiredMarked: 'بخش‌های موردنیاز علامت‌گذاری شده‌اند با',
  name: 'نام',
  email: 'ایمیل',
  website: 'وب‌سایت',
  comment: 'دیدگاه',
  postComment: 'فرستادن دیدگاه',
  commentsClosed: 'دیدگاه‌ها برای این مطلب بسته است.',
  tags: 'برچسب‌ها',
  latest: 'تازه‌ترین‌ها',
  pinned: 'سنجاق‌شده',
  more: 'بیشتر از',
  previous: 'جدیدتر',
  next: 'قدیمی‌تر',
  pageOf: (p, n) => `صفحه ${num('fa', p)} از ${num('fa', n)}`,
  noArticles: 'هنوز چیزی در اینجا منتشر نشده است.',
  notFoundTitle: 'صفحه پیدا نشد',
  notFoundText: 'در این نشانی چیزی نیست. شاید جابه‌جا شده یا پیوند اشتباه است.',
  badRequestTitle: 'این درخواست پاسخ داده نمی‌شود',
  goHome: 'رفتن به صفحه نخست',
  errorTitle: 'خطایی رخ داد',
  unavailableTitle: 'به‌زودی برمی‌گردیم',
  unavailableText: 'سایت اکنون به پایگاه داده‌اش دسترسی ندارد. لطفاً چند لحظه دیگر دوباره تلاش کنید.',
  articlesBy: (name) => `نوشته‌های ${name}`,
  taggedWith: (name) => `برچسب «${name}»`,
  readingTime: (m) => `${num('fa', m)} دقیقه مطالعه`,
  poweredBy: 'منتشرشده با Gazette',
  footerLinks: 'دربارهٔ سایت',
};

const STRINGS: Record<string, Strings> = { en, ar, fa };

/** Fixed strings for a language, falling back to English for languages the site does not carry. */
export function stringsFor(language: string): Strings {
  return STRINGS[baseLanguage(language)] ?? en;
}
