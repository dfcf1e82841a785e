// Reader-facing words of the comment pages in each language the site carries: the thread, notices,
// refusals and unsubscribing. The form's labels (Leave a Reply, Name, Email, ...) are in site.ts.
import type { RejectionProblem, FieldName, FieldProblem } from '../../comments/comment.errors.ts';
import { baseLanguage, formatNumber } from './format.ts';

export interface CommentStrings {
  commentsTitle: (n: number) => string;
  commentCount: (n: number) => string;
  noComments: string;
  reply: string;
  replyTo: (name: string) => string;
  cancelReply: string;
  says: string;
  /** The mark beside the name of a comment written by the site's staff. */
  staff: string;
  permalink: string;
  notifyMe: string;
  honeypot: string;
  feed: string;
  /** The name of the navigation between an article's comment pages. */
  commentPages: string;
  olderComments: string;
  newerComments: string;
  /** What a page number in that navigation leads to, for assistive technology. */
  commentPage: (n: number) => string;
  noticeHeld: string;
  noticeApproved: string;
  notPostedTitle: string;
  notPostedIntro: string;
  backToArticle: string;
  problem: (p: RejectionProblem, params: Readonly<Record<string, number>>) => string;
  field: (f: FieldName, p: FieldProblem, params: Readonly<Record<string, number>>) => string;
  unsubscribeTitle: string;
  unsubscribeText: string;
  unsubscribeButton: string;
  unsubscribedText: string;
  unsubscribeInvalid: string;
  unsubscribeCrossSite: string;
  unsubscribeRateLimited: (wait: number) => string;
}

const en: CommentStrings = {
  commentsTitle: (n) => (n === 1 ? '1 comment' : `${n} comments`),
  commentCount: (n) => (n === 1 ? '1 comment' : `${n} comments`),
  noComments: 'No comments yet.',
  reply: 'Reply',
  replyTo: (name) => `Reply to ${name}`,
  cancelReply: 'Cancel reply',
  says: 'says',
  staff: 'Staff',
  permalink: 'Link to this comment',
  notifyMe: 'Notify me of replies by email',
  honeypot: 'Leave this field empty',
  feed: 'Comments feed',
  commentPages: 'Comment pages',
  olderComments: 'Older comments',
  newerComments: 'Newer comments',
  commentPage: (n) => `Comments page ${n}`,
  noticeHeld: 'Thank you. Your comment is awaiting moderation and will appear once an editor approves it.',
  noticeApproved: 'Thank you. Your comment is published.',
  notPostedTitle: 'Your comment was not posted',
  notPostedIntro: 'Nothing was stored. What you typed is kept below, so you can correct it and send it again.',
  backToArticle: 'Back to the article',
  problem: (p, v) => {
    switch (p) {
      case 'unknown_article': return 'The article you are replying to does not exist or is not published.';
      case 'closed': return 'Comments are closed for this article.';
      case 'cross_site': return 'This form was sent from another website. Comments are only accepted from this site’s own pages.';
      case 'honeypot': return 'A field meant to stay empty was filled in, so the comment looks automated.';
      case 'confirm': return 'One more step: check your comment below and press Post Comment again to send it. (This is asked when the page’s small script did not run.)';
      case 'token_invalid': return 'The form is damaged or incomplete. Send it again from the form below.';
      case 'token_expired': return 'The form expired because the page was open for a long time. Send it again from the form below.';
      case 'too_fast': return `The form was sent too quickly after the page loaded to have been typed by a person. Wait ${v.wait ?? 1} seconds and send it again.`;
      case 'rate_limited': return `Too many comments were sent from your address. You may comment again in ${v.wait ?? 1} seconds.`;
      case 'duplicate': return 'This exact comment has already been sent to this article.';
      case 'invalid': return 'Some fields need correcting; each problem is shown beside its field.';
      case 'wrong_content_type': return 'Comments must be sent as an ordinary web form (application/x-www-form-urlencoded).';
      case 'too_large': return `The request is too large: at most ${v.bytes ?? 0} bytes are accepted.`;
    }
  },
  field: (f, p, v) => {
    const label = { author: 'Name', email: 'Email', url: 'Website', comment: 'Comment', comment_parent: 'Reply' }[f];
    switch (p) {
      case 'required': return `${label} is required.`;
      case 'too_long': return `${label} is too long: at most ${v.max ?? 0} characters (you sent ${v.length ?? 0}).`;
      case 'invisible': return `${label} has no visible characters: spaces and invisible characters alone do not count.`;
      case 'control_chars': return `${label} contains control characters that cannot be shown.`;
      case 'email_invalid': return 'Email must be an address such as name@example.org.';
      case 'url_invalid': return 'Website must be a full http:// or https:// address with no spaces.';
      case 'parent_invalid': return 'The comment you are replying to does not exist, is not published, or belongs to another article.';
      case 'too_deep': return `Replies can nest at most ${v.max ?? 0} levels deep; reply to an earlier comment in this thread instead.`;
    }
  },
  unsubscribeTitle: 'Stop emails',
  unsubscribeText: 'Press the button to stop every email this site sends to your address.',
  unsubscribeButton: 'Unsubscribe',
  unsubscribedText: 'Done. This site will send no more email to your address.',
  unsubscribeInvalid: 'This unsubscribe link is not valid. Use the link in the most recent email from this site.',
  unsubscribeCrossSite: 'This request was sent from another website. Use the button on this site’s own page, or the link in the email.',
  unsubscribeRateLimited: (w) => `Too many requests from your address. Try again in ${w} seconds.`,
};

// Arabic has six plural forms; these follow CLDR's rules for it.
function arabicCount(n: number): string {
  const rule = new Intl.PluralRules('ar').select(n);
  switch (rule) {
    case 'zero': return 'لا تعليقات';
    case 'one': return 'تعليق واحد';
    case 'two': return 'تعليقان';
    case 'few': return `${n} تعليقات`;
    default: return `${n} تعليقاً`;
  }
}

const ar: CommentStrings = {
  commentsTitle: arabicCount,
  commentCount: arabicCount,
  noComments: 'لا تعليقات بعد.',
  reply: 'رد',
  replyTo: (name) => `رد على ${name}`,
  cancelReply: 'إلغاء الرد',
  says: 'يقول',
  staff: 'فريق التحرير',
  permalink: 'رابط هذا التعليق',
  notifyMe: 'أعلمني بالردود عبر البريد الإلكتروني',
  honeypot: 'اترك هذا الحقل فارغاً',
  feed: 'خلاصة التعليقات',
  commentPages: 'صفحات التعليقات',
  olderComments: 'التعليقات الأقدم',
  newerComments: 'التعليقات الأحدث',
  commentPage: (n) => `صفحة التعليقات ${formatNumber('ar', n)}`,
  noticeHeld: 'شكراً لك. تعليقك بانتظار المراجعة وسيظهر بعد موافقة المحرر.',
  noticeApproved: 'شكراً لك. نُشر تعليقك.',
  notPostedTitle: 'لم يُنشر تعليقك',
  notPostedIntro: 'لم يُحفظ شيء. ما كتبته محفوظ أدناه لتصحيحه وإرساله من جديد.',
  backToArticle: 'العودة إلى المقال',
  problem: (p, v) => {
    switch (p) {
      case 'unknown_article': return 'المقال الذي تعلّق عليه غير موجود أو غير منشور.';
      case 'closed': return 'التعليقات مغلقة على هذا المقال.';
      case 'cross_site': return 'أُرسل هذا النموذج من موقع آخر. لا تُقبل التعليقات إلا من صفحات هذا الموقع.';
      case 'honeypot': return 'مُلئ حقل يجب أن يبقى فارغاً، فيبدو التعليق آلياً.';
      case 'confirm': return 'خطوة أخيرة: راجع تعليقك أدناه واضغط «أرسل التعليق» مرة أخرى لإرساله. (يُطلب هذا حين لا يعمل البرنامج الصغير في الصفحة.)';
      case 'token_invalid': return 'النموذج تالف أو ناقص. أرسله من جديد من النموذج أدناه.';
      case 'token_expired': return 'انتهت صلاحية النموذج لأن الصفحة بقيت مفتوحة طويلاً. أرسله من جديد من النموذج أدناه.';
      case 'too_fast': return `أُرسل النموذج بسرعة لا تتيح لشخص كتابته. انتظر ${v.wait ?? 1} ثوانٍ ثم أرسله من جديد.`;
      case 'rate_limited': return `أُرسلت تعليقات كثيرة من عنوانك. يمكنك التعليق مجدداً بعد ${v.wait ?? 1} ثانية.`;
      case 'duplicate': return 'أُرسل هذا التعليق نفسه إلى هذا المقال من قبل.';
      case 'invalid': return 'بعض الحقول تحتاج إلى تصحيح؛ تظهر كل مشكلة بجانب حقلها.';
      case 'wrong_content_type': return 'يجب إرسال التعليقات عبر نموذج ويب عادي (application/x-www-form-urlencoded).';
      case 'too_large': return `الطلب كبير جداً: الحد الأقصى ${v.bytes ?? 0} بايت.`;
    }
  },
  field: (f, p, v) => {
    const label = { author: 'الاسم', email: 'البريد الإلكتروني', url: 'الموقع الإلكتروني', comment: 'التعليق', comment_parent: 'الرد' }[f];
    switch (p) {
      case 'required': return `حقل ${label} مطلوب.`;
      case 'too_long': return `حقل ${label} طويل جداً: الحد الأقصى ${v.max ?? 0} حرف (أرسلت ${v.length ?? 0}).`;
      case 'invisible': return `لا يحتوي حقل ${label} على أي حرف ظاهر؛ المسافات والمحارف غير المرئية وحدها لا تكفي.`;
      case 'control_chars': return `حقل ${label} يحتوي على محارف تحكّم لا يمكن عرضها.`;
      case 'email_invalid': return 'يجب أن يكون البريد الإلكتروني عنواناً مثل name@example.org.';
      case 'url_invalid': return 'يجب أن يكون الموقع عنواناً كاملاً يبدأ بـ http:// أو https:// دون مسافات.';
      case 'parent_invalid': return 'التعليق الذي ترد عليه غير موجود أو غير منشور أو يخص مقالاً آخر.';
      case 'too_deep': return `لا تتداخل الردود بأكثر من ${v.max ?? 0} مستويات؛ رد على تعليق سابق في هذا النقاش.`;
    }
  },
  unsubscribeTitle: 'إيقاف الرسائل',
  unsubscribeText: 'اضغط الزر لإيقاف كل رسالة يرسلها هذا الموقع إلى عنوانك.',
  unsubscribeButton: 'إلغاء الاشتراك',
  unsubscribedText: 'تم. لن يرسل هذا الموقع أي رسالة أخرى إلى عنوانك.',
  unsubscribeInvalid: 'رابط إلغاء الاشتراك هذا غير صالح. استخدم الرابط الوارد في أحدث رسالة من هذا الموقع.',
  unsubscribeCrossSite: 'أُرسل هذا الطلب من موقع آخر. استخدم الزر في صفحة هذا الموقع أو الرابط الوارد في الرسالة.',
  unsubscribeRateLimited: (w) => `طلبات كثيرة من عنوانك. حاول مجدداً بعد ${w} ثانية.`,
};

const fa: CommentStrings = {
  commentsTitle: (n) => `${n.toLocaleString('fa')} دیدگاه`,
  commentCount: (n) => `${n.toLocaleString('fa')} دیدگاه`,
  noComments: 'هنوز دیدگاهی نیست.',
  reply: 'پاسخ',
  replyTo: (name) => `پاسخ به ${name}`,
  cancelReply: 'لغو پاسخ',
  says: 'می‌گوید',
  staff: 'تحریریه',
  permalink: 'پیوند این دیدگاه',
  notifyMe: 'پاسخ‌ها را با ایمیل به من خبر بده',
  honeypot: 'این بخش را خالی بگذارید',
  feed: 'خوراک دیدگاه‌ها',
  commentPages: 'صفحه‌های دیدگاه‌ها',
  olderComments: 'دیدگاه‌های قدیمی‌تر',
  newerComments: 'دیدگاه‌های جدیدتر',
  commentPage: (n) => `صفحهٔ ${formatNumber('fa', n)} دیدگاه‌ها`,
  noticeHeld: 'سپاس. دیدگاه شما در انتظار بررسی است و پس از تأیید ویراستار نمایش داده می‌شود.',
  noticeApproved: 'سپاس. دیدگاه شما منتشر شد.',
  notPostedTitle: 'دیدگاه شما فرستاده نشد',
  notPostedIntro: 'چیزی ذخیره نشد. آنچه نوشتید در پایین نگه داشته شده تا آن را درست کنید و دوباره بفرستید.',
  backToArticle: 'بازگشت به مطلب',
  problem: (p, v) => {
    switch (p) {
      case 'unknown_article': return 'مطلبی که برایش دیدگاه می‌نویسید وجود ندارد یا منتشر نشده است.';
      case 'closed': return 'دیدگاه‌ها برای این مطلب بسته است.';
      case 'cross_site': return 'این فرم از وب‌سایت دیگری فرستاده شده است. دیدگاه‌ها فقط از صفحه‌های همین وب‌سایت پذیرفته می‌شوند.';
      case 'honeypot': return 'بخشی که باید خالی بماند پر شده است، پس دیدگاه خودکار به نظر می‌رسد.';
      case 'confirm': return 'یک گام دیگر: دیدگاهتان را در پایین بررسی کنید و دوباره «فرستادن دیدگاه» را بزنید. (این پرسش وقتی پیش می‌آید که برنامهٔ کوچک صفحه اجرا نشده باشد.)';
      case 'token_invalid': return 'فرم آسیب دیده یا ناقص است. آن را از فرم پایین دوباره بفرستید.';
      case 'token_expired': return 'فرم منقضی شده، چون صفحه مدت زیادی باز بوده است. آن را از فرم پایین دوباره بفرستید.';
      case 'too_fast': return `فرم زودتر از آن فرستاده شد که کسی بتواند آن را بنویسد. ${v.wait ?? 1} ثانیه صبر کنید و دوباره بفرستید.`;
      case 'rate_limited': return `از نشانی شما دیدگاه‌های زیادی فرستاده شده است. پس از ${v.wait ?? 1} ثانیه دوباره می‌توانید دیدگاه بنویسید.`;
      case 'duplicate': return 'همین دیدگاه پیش‌تر برای این مطلب فرستاده شده است.';
      case 'invalid': return 'برخی بخش‌ها نیاز به اصلاح دارند؛ هر مشکل کنار بخش خودش نشان داده شده است.';
      case 'wrong_content_type': return 'دیدگاه‌ها باید با یک فرم معمولی وب (application/x-www-form-urlencoded) فرستاده شوند.';
      case 'too_large': return `درخواست بیش از اندازه بزرگ است: حداکثر ${v.bytes ?? 0} بایت پذیرفته می‌شود.`;
    }
  },
  field: (f, p, v) => {
    const label = { author: 'نام', email: 'ایمیل', url: 'وب‌سایت', comment: 'دیدگاه', comment_parent: 'پاسخ' }[f];
    switch (p) {
      case 'required': return `${label} لازم است.`;
      case 'too_long': return `${label} بیش از اندازه بلند است: حداکثر ${v.max ?? 0} نویسه (شما ${v.length ?? 0} فرستادید).`;
      case 'invisible': return `${label} هیچ نویسهٔ دیدنی ندارد؛ فاصله‌ها و نویسه‌های نامرئی به‌تنهایی به حساب نمی‌آیند.`;
      case 'control_chars': return `${label} نویسه‌های کنترلی دارد که نمایش داده نمی‌شوند.`;
      case 'email_invalid': return 'ایمیل باید نشانی‌ای مانند name@example.org باشد.';
      case 'url_invalid': return 'وب‌سایت باید نشانی کاملی با http:// یا https:// و بدون فاصله باشد.';
      case 'parent_invalid': return 'دیدگاهی که به آن پاسخ می‌دهید وجود ندارد، منتشر نشده یا به مطلب دیگری تعلق دارد.';
      case 'too_deep': return `پاسخ‌ها حداکثر ${v.max ?? 0} سطح تودرتو می‌شوند؛ به دیدگاه بالاتری در همین گفت‌وگو پاسخ دهید.`;
    }
  },
  unsubscribeTitle: 'توقف ایمیل‌ها',
  unsubscribeText: 'برای توقف همهٔ ایمیل‌هایی که این وب‌سایت به نشانی شما می‌فرستد، دکمه را بزنید.',
  unsubscribeButton: 'لغو اشتراک',
  unsubscribedText: 'انجام شد. این وب‌سایت دیگر ایمیلی به نشانی شما نمی‌فرستد.',
  unsubscribeInvalid: 'این پیوند لغو اشتراک معتبر نیست. از پیوند آخرین ایمیل این وب‌سایت استفاده کنید.',
  unsubscribeCrossSite: 'این درخواست از وب‌سایت دیگری فرستاده شده است. از دکمهٔ صفحهٔ همین وب‌سایت یا پیوند درون ایمیل استفاده کنید.',
  unsubscribeRateLimited: (w) => `درخواست‌های زیادی از نشانی شما آمده است. پس از ${w} ثانیه دوباره تلاش کنید.`,
};

const STRINGS: Record<string, CommentStrings> = { en, ar, fa };

/** Comment strings for a language, English when the site does not carry it. */
export function commentStrings(language: string): CommentStrings {
  return STRINGS[baseLanguage(language)] ?? en;
}
