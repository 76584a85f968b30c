import type { Category } from '@switchboard/contracts';

/**
 * Hand-written cue patterns per category, in English, Indonesian (with chat slang) and Chinese.
 * They are written from the label definitions, not from any test split. The model uses them as
 * extra features; the explanation quotes the ones that matched.
 */
export const CUES: Record<Exclude<Category, 'other'>, { name: string; re: RegExp }[]> = {
  login: [
    { name: 'cannot log in', re: /\b(?:can'?t|cannot|can not|unable to|couldn'?t|not able to)\s+(?:log ?in|sign ?in|access|open)\b/i },
    { name: 'gak bisa login', re: /\b(?:gak|gk|ga|g|ngga|nggak|tidak|tdk|gabisa|gbs|gbisa|ga bisa|tak)\s*(?:bisa|bs|dapat)?\s*(?:login|log in|masuk|buka)\b/i },
    { name: 'forgot password/PIN', re: /\b(?:forgot|forget|forgotten|lupa)\s+(?:my\s+|the\s+)?(?:password|pin|passcode|kata sandi|sandi|pasword|paswot)\b/i },
    { name: 'login OTP', re: /\b(?:otp|kode verifikasi|verification code|kode)\b.{0,30}\b(?:not|never|didn'?t|tidak|gak|gk|ga|belum|blm|nggak)\b.{0,20}\b(?:arriv|receiv|come|masuk|dateng|datang|terima|kirim)/i },
    { name: 'account locked', re: /\b(?:locked|terkunci|keblokir|diblokir|blocked)\b/i },
    { name: '登录', re: /登录|登陆|登不上|进不去|忘记密码|密码错误|验证码.{0,6}(?:收不到|没收到|没有收到)|账户被锁|被锁定/ },
  ],
  transaction_failed: [
    { name: 'payment failed', re: /\b(?:payment|transfer|top ?up|transaction|bill)\b.{0,30}\b(?:failed|declined|pending|stuck|didn'?t go through|not go through|rejected)\b/i },
    { name: 'gagal bayar/transfer', re: /\b(?:gagal|pending|nyangkut|gantung)\b/i },
    { name: 'saldo kepotong', re: /\b(?:saldo|uang|duit|dana)\b.{0,25}\b(?:kepotong|terpotong|dipotong|berkurang|kurang|hilang|belum masuk|blm masuk|gak masuk|ga masuk|tidak masuk)\b/i },
    { name: 'charged twice', re: /\b(?:charged twice|double charge|deducted twice|dobel|double)\b/i },
    { name: 'deducted not received', re: /\b(?:deducted|debited)\b.{0,40}\b(?:not|never|didn'?t)\b/i },
    { name: '支付失败', re: /失败|扣款|扣了钱|钱扣了|没到账|未到账|不到账|没有到账|转账.{0,6}(?:没|未)|付款.{0,6}(?:不了|失败)|重复扣/ },
  ],
  account_security: [
    { name: 'hacked', re: /\b(?:hacked|hack|dihack|di hack|dibobol|kebobol|diretas|takeover|taken over)\b/i },
    { name: 'unauthorised transaction', re: /\b(?:didn'?t make|did not make|not recogni[sz]e|unauthori[sz]ed|don'?t recogni[sz]e|bukan saya|tidak melakukan|gak pernah|ga pernah|tidak pernah)\b/i },
    { name: 'phishing / OTP scam', re: /\b(?:phishing|scam|scammer|penipu|penipuan|tipu|modus|minta otp|asked for (?:my )?(?:otp|code))\b/i },
    { name: 'lost/stolen phone', re: /\b(?:stolen|lost my (?:phone|card)|hp (?:hilang|dicuri|kecopetan)|dicopet|kecopetan|dicuri|hilang)\b/i },
    { name: 'freeze account', re: /\b(?:freeze|block my account|blokir akun|bekukan)\b/i },
    { name: '盗号', re: /被盗|盗刷|被骗|诈骗|骗子|冻结|手机丢|手机被偷|不是我本人|陌生人|异地登录|被人/ },
  ],
  refund: [
    { name: 'refund', re: /\b(?:refund|refunded|reimburse|money back|chargeback)\b/i },
    { name: 'pengembalian dana', re: /\b(?:pengembalian|dikembalikan|dikembaliin|balikin|kembalikan|kembaliin|uang kembali|refun)\b/i },
    { name: '退款', re: /退款|退钱|退回|退货|返还|退了/ },
  ],
};

export interface CueHit {
  category: Exclude<Category, 'other'>;
  name: string;
  /** `category/name`, the cue's feature name. */
  feature: string;
}

const HAN_SOURCE = /[\u4e00-\u9fff]/;
const COMPILED = (Object.keys(CUES) as Exclude<Category, 'other'>[]).flatMap((category) =>
  CUES[category].map((cue) => ({
    re: cue.re,
    han: HAN_SOURCE.test(cue.re.source),
    // Hits are shared between messages: nothing writes to them.
    hit: Object.freeze({ category, name: cue.name, feature: category + '/' + cue.name }) as CueHit,
  })),
);

export function matchCues(text: string): CueHit[] {
  const hits: CueHit[] = [];
  // Chinese patterns only run on text with Han characters, the others only on Latin text.
  const hasHan = HAN_SOURCE.test(text);
  const hasLatin = /[A-Za-z]/.test(text);
  for (const cue of COMPILED) {
    if (cue.han ? !hasHan : !hasLatin) continue;
    if (cue.re.test(text)) hits.push(cue.hit);
  }
  return hits;
}
