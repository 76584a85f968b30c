/** A customer's answer to the one-question survey sent with *resolved*. */
export interface ParsedSurveyAnswer {
  score: number;
  comment?: string;
}

/** Longer than this is a new question, not a rating with a remark. */
const MAX_ANSWER_LENGTH = 160;
const STARS = /^[\u2B50\u2605\u{1F31F}](?:\uFE0F)?/u;
const CHINESE_DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5 };
/**
 * What makes a leading number a quantity rather than a rating: "5 hari belum masuk", "5 juta",
 * "5x", "5分钟", "3 days". Checked on the word right after the number.
 */
const QUANTITY_WORDS = new Set([
  'juta', 'jt', 'ribu', 'rb', 'rebu', 'k', 'm', 'x', 'kali', 'times', 'hari', 'day', 'days', 'minggu', 'week', 'weeks', 'bulan', 'month', 'months',
  'jam', 'hour', 'hours', 'hr', 'hrs', 'menit', 'min', 'mins', 'minute', 'minutes', 'detik', 'seconds', 'rp', 'idr', 'usd', 'sgd', 'dollar', 'dollars', 'transaksi', 'transactions', 'orang', 'people',
]);
const QUANTITY_SUFFIXES = ['分钟', '元', '块', '天', '次', '小时', '个', '万', '千', '百', '笔', '周', '月', '年', '号', '点'];

/**
 * Reads a survey answer the way customers type it: "5", "4/5", "5 puas", "5 满意", "5星", "五星",
 * "⭐⭐⭐⭐", "3 - slow but fine". Anything else (a new question, "5 hari belum masuk", "50",
 * "5.000", a time "5:30") is not an answer and returns null, so the message reopens the ticket.
 */
export function parseSurveyAnswer(input: string): ParsedSurveyAnswer | null {
  const text = input.normalize('NFKC').trim();
  if (text.length === 0 || text.length > MAX_ANSWER_LENGTH) return null;
  const stars = countStars(text);
  if (stars) return stars.score >= 1 && stars.score <= 5 ? withComment(stars.score, stars.rest) : null;

  const chinese = /^([一二两三四五])\s*(?:星|分)(?!钟)/u.exec(text);
  if (chinese) return withComment(CHINESE_DIGITS[chinese[1]], text.slice(chinese[0].length));

  const numeric = /^([1-5])(?![\d.,:])(?:\s*\/\s*5(?!\d))?\s*(?:星|分(?!钟)|stars?|bintang)?/iu.exec(text);
  if (!numeric) return null;
  const rest = text.slice(numeric[0].length);
  if (isQuantity(rest)) return null;
  return withComment(Number(numeric[1]), rest);
}

function countStars(text: string): { score: number; rest: string } | null {
  let rest = text;
  let score = 0;
  for (let match = STARS.exec(rest); match; match = STARS.exec(rest)) {
    score++;
    rest = rest.slice(match[0].length).trimStart();
  }
  return score > 0 ? { score, rest } : null;
}

function isQuantity(rest: string): boolean {
  const trimmed = rest.trimStart();
  if (QUANTITY_SUFFIXES.some((suffix) => trimmed.startsWith(suffix))) return true;
  const word = /^[a-z%]+/i.exec(trimmed)?.[0]?.toLowerCase();
  if (word === undefined) return false;
  return word === '%' || QUANTITY_WORDS.has(word);
}

function withComment(score: number, rest: string): ParsedSurveyAnswer {
  const comment = rest.replace(/^[\s\-–—:.,!;/)]+/u, '').trim();
  return comment ? { score, comment: comment.slice(0, 1000) } : { score };
}
