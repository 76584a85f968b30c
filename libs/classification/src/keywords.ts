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
    { name: 'gagal bayar/transfer', re: /\b(?:gagal|pending|nyangkut|gantung|menggantung|ketahan|tertahan)\b/i },
    { name: 'transfer belum sampai', re: /\b(?:tf|trf|transfer|transferan|kiriman|kirim uang|top ?up|topup|isi ulang|isi saldo)\b.{0,40}\b(?:gk|ga|gak|tidak|tdk|belum|blm|nggak|ngga|gx)\s+(?:nyampe|nyampai|sampai|sampe|masuk|diterima|dateng|datang|cair)/i },
    { name: 'saldo kepotong', re: /\b(?:saldo|uang|duit|dana)\b.{0,25}\b(?:kepotong|terpotong|dipotong|berkurang|kurang|hilang|belum masuk|blm masuk|gak masuk|ga masuk|tidak masuk)\b/i },
    { name: 'charged twice', re: /\b(?:charged twice|double charge|deducted twice|dobel|double)\b/i },
    { name: 'deducted not received', re: /\b(?:deducted|debited)\b.{0,40}\b(?:not|never|didn'?t)\b/i },
    { name: '支付失败', re: /失败|扣款|扣了钱|钱扣了|没到账|未到账|不到账|没有到账|转账.{0,6}(?:没|未)|付款.{0,6}(?:不了|失败)|重复扣/ },
  ],
  account_security: [
    { name: 'hacked', re: /\b(?:hacked|hack|dihack|di hack|dibobol|kebobol|diretas|takeover|taken over)\b/i },
    // "ga pernah" alone is also "never had a problem": only with a deed of the customer's.
    { name: 'unauthorised transaction', re: /\b(?:didn'?t make|did not make|not recogni[sz]e|unauthori[sz]ed|don'?t recogni[sz]e|bukan (?:saya|sy|aku|gw|gue)|tidak melakukan|tanpa sepengetahuan|tanpa izin|(?:gak|ga|gk|nggak|ngga|tidak|tdk) pernah (?:saya |sy |aku |gw )?(?:melakukan|lakuin|ngelakuin|transaksi|beli|membeli|pake|pakai|memakai|order|pesan|transfer|tf|minta|meminta|ganti|ubah|ngubah|mengubah|kasih|memberikan))\b/i },
    { name: 'balance gone without a transaction', re: /\b(?:saldo|uang|duit|dana)\b.{0,40}\b(?:tanpa (?:ada )?transaksi|(?:padahal|pdhl|tapi|tp) (?:saya |sy |aku )?(?:gak|ga|gk|tidak|tdk|nggak) (?:ada |lagi |pernah )?(?:transaksi|belanja|bayar|pakai|pake))\b/i },
    { name: 'OTP not requested', re: /\b(?:otp|kode)\b.{0,50}\b(?:padahal|pdhl|pdahal|tapi|tp)\s+(?:saya\s+|sy\s+|aku\s+|gw\s+)?(?:tidak|tdk|ga|gak|gk|nggak|ngga|gx)\s+(?:pernah\s+|lagi\s+|lg\s+|sedang\s+)?(?:minta|meminta|request|login|log in|masuk)\b/i },
    { name: 'changed by someone else', re: /\b(?:diganti|diubah|berubah|dirubah|ganti|ubah)\b.{0,30}\b(?:orang lain|org lain|bukan (?:saya|sy|aku)|tanpa sepengetahuan|tanpa izin)\b/i },
    { name: 'phishing / OTP scam', re: /\b(?:phishing|phising|scam|scammer|penipu|penipuan|tipu|ketipu|modus|minta otp|asked for (?:my )?(?:otp|code))\b/i },
    { name: 'ngaku cs', re: /\b(?:ngaku|mengaku|ngakunya|ngaku2)\b.{0,25}\b(?:cs|admin|petugas|kurir|customer service|pihak|karyawan|dari)\b/i },
    // "hilang" alone is also a balance or a menu gone: only a phone, card or wallet counts here.
    { name: 'lost/stolen phone', re: /\b(?:stolen|lost my (?:phone|card)|(?:hp|handphone|ponsel|kartu|dompet|atm|phone|card)\b.{0,20}\b(?:hilang|ilang|dicuri|kecopetan|dijambret|dicolong|ketinggalan)|dicopet|kecopetan|dicuri|dijambret|dicolong|kemalingan)\b/i },
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
