// Text analysis shared by metric documents and questions: the same pipeline on both sides keeps
// matching symmetric (a synonym applied to a question is applied to every metric too).

/** Granularity words: they tell near misses apart ("weekly" vs "daily signups") but weigh less. */
export const TIME_TERMS = ['hour', 'day', 'week', 'month', 'quarter', 'year'] as const;
export type TimeTerm = (typeof TIME_TERMS)[number];

export interface Term {
  term: string;
  /** The word as written (before stemming and synonyms), for naming proposals. */
  surface: string;
  kind: 'time' | 'content';
}

// Multi-word phrases and abbreviations, rewritten before tokenising. Order matters: longer first.
const PHRASES: [RegExp, string][] = [
  [/\b(last|past|previous)\s+(7|seven)\s+days\b/g, ' week '],
  [/\b(last|past|previous)\s+(30|thirty)\s+days\b/g, ' month '],
  [/\b(last|past|previous)\s+(24|twenty[\s-]*four)\s+hours\b/g, ' day '],
  [/\bsince\s+midnight\b|\btoday\b|\btonight\b|\byesterday\b/g, ' day '],
  [/\bannual(ly)?\b/g, ' year '],
  [/\bsign[\s-]*ups?\b|\bsigned[\s-]+up\b|\bregistrations?\b|\bregistered\b/g, ' signup '],
  [/\bpage[\s-]*views?\b|\bpageviews?\b/g, ' pageview '],
  [/\bcheck[\s-]*outs?\b/g, ' checkout '],
  [/\bmrr\b/g, ' monthly recurring revenue '],
  [/\barr\b/g, ' yearly recurring revenue '],
  [/\bdau\b/g, ' daily active users '],
  [/\bwau\b/g, ' weekly active users '],
  [/\bmau\b/g, ' monthly active users '],
  [/\baov\b/g, ' average order value '],
  [/\bcac\b/g, ' customer acquisition cost '],
  [/\bnps\b/g, ' net promoter score '],
  [/\bltv\b|\bclv\b/g, ' lifetime value '],
  [/\b5xx\b/g, ' error '],
  [/\bp(50|90|95|99)\b/g, ' p$1 latency '],
];

// Stem-level synonyms: every variant maps to one canonical stem.
const SYNONYMS: Record<string, string> = {
  sal: 'revenu', sale: 'revenu', sell: 'revenu', sold: 'revenu', income: 'revenu', turnover: 'revenu', earn: 'revenu',
  people: 'user', person: 'user',
  client: 'customer',
  cancel: 'churn', cancellation: 'churn', unsubscrib: 'churn',
  clos: 'resolv', solv: 'resolv',
  respond: 'respons', reply: 'respons', repli: 'respons', answer: 'respons',
  slow: 'latency', fast: 'latency', speed: 'latency', quick: 'latency',
  spent: 'spend',
  ads: 'ad', advert: 'ad', advertis: 'ad', campaign: 'ad',
  traffic: 'visitor', visit: 'visitor',
  fail: 'error', failur: 'error',
  availability: 'uptim', downtim: 'uptim', outag: 'uptim',
  conversion: 'convert',
  pay: 'paid',
  profit: 'margin',
  unpaid: 'outstand', overdu: 'outstand', owe: 'outstand',
  bill: 'invoic',
  avg: 'averag', mean: 'averag',
  purchas: 'order',
  subscriber: 'subscript',
  inventory: 'stock',
};

// Fillers of questions and of the catalogue alike; they carry no metric meaning.
const STOPWORDS = new Set(
  `a about above after all also am an and any are as at be been being below between both but by can could did do does doing done
  for from had has have having he her here hers how i if in into is it its just me more most my no nor not now of off on once only
  or other our ours out over own please same she should so some such than that the their theirs them then there these they this
  those through to too under until up very was we were what when where which while who whom why will with would you your yours
  s t d ll re ve m currently current right show tell give get got let know see want need like lately recently far
  number numbers total count much many amount how's what's whats last past previous per each every been going look looking
  hello hi hey hiya thanks thank cheers ok okay yes yeah sure
  money metric metrics dashboard dashboards kpi kpis chart charts figure figures stat stats report latest thing things`
    .split(/\s+/)
    .filter(Boolean),
);

/** True for words that carry no metric meaning ("how", "many", "our", …). */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word.toLowerCase());
}

/** Lower-cases, strips accents and rewrites phrases into their canonical words. */
export function normalizeText(text: string): string {
  let out = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  out = out.replace(/[’']/g, "'");
  for (const [pattern, replacement] of PHRASES) out = out.replace(pattern, replacement);
  return out;
}

/** A light suffix stemmer: enough to meet "refunded"/"refunds"/"refund" on one stem. */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith('ment') && w.length > 7) w = w.slice(0, -4);
  else if (w.endsWith('ly') && w.length > 5) w = w.slice(0, -2);
  if (/([b-df-hj-np-tv-z])\1$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

const TIME_STEMS: Record<string, TimeTerm> = {
  hour: 'hour', hourly: 'hour',
  day: 'day', dai: 'day', daily: 'day',
  week: 'week', weekly: 'week',
  month: 'month', monthly: 'month',
  quarter: 'quarter', quarterly: 'quarter',
  year: 'year', yearly: 'year',
};

function toTerm(word: string): Term | null {
  if (STOPWORDS.has(word) || /^\d+$/.test(word)) return null;
  const time = TIME_STEMS[word] ?? TIME_STEMS[stem(word)];
  if (time) return { term: time, surface: word, kind: 'time' };
  const stemmed = stem(word);
  return { term: SYNONYMS[stemmed] ?? SYNONYMS[word] ?? stemmed, surface: word, kind: 'content' };
}

/** Terms of a text, in order, stopwords dropped. */
export function analyze(text: string): Term[] {
  const terms: Term[] = [];
  for (const word of normalizeText(text).split(/[^a-z0-9]+/)) {
    if (!word) continue;
    const term = toTerm(word);
    if (term) terms.push(term);
  }
  return terms;
}

/** Just the term strings of {@link analyze}. */
export function terms(text: string): string[] {
  return analyze(text).map((t) => t.term);
}
