// Function words of English, Arabic and Persian: never used to decide that two articles are related
// (they are still searchable). Stored in normalised form so that spelling variants match too.
import { normaliseText } from './normalise.ts';

const ENGLISH =
  'a about above after again against all also am an and any are as at be been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers him his how i if in into is it its itself just me more most my no nor not now of off on once only or other our ours out over own said same says she should so some such than that the their theirs them then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your'.split(' ');
const ARABIC =
  'في من على إلى الى عن مع أن ان إن إنّ أنّ كان كانت يكون التي الذي الذين اللذين هذا هذه ذلك تلك هو هي هم هن نحن أنا انت كما أو او ثم لكن بل قد لقد لم لن لا ما ماذا متى أين كيف كل بعض غير بين عند عندما حتى إذا اذا بعد قبل خلال منذ ضد حول دون أي اي و ف ب ل ك وقال قال قالت وأضاف أيضا أيضاً'.split(' ');
const PERSIAN =
  'و در به از که را با این آن است بود شد شده می برای تا هم یا اما اگر نیز یک خود ها های هر چه چون پس پیش بر بی همه دیگر آنها ایشان ما شما من او وی کرد کرده کند کنند شود باشد داد دارد گفت گفته'.split(' ');

/** True when a normalised word carries no topic of its own. */
export const isStopword = (() => {
  const set = new Set([...ENGLISH, ...ARABIC, ...PERSIAN].map(normaliseText));
  return (normalisedWord: string) => set.has(normalisedWord);
})();
