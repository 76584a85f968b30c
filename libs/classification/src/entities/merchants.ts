/**
 * Merchant names: a list of merchants and billers common in Indonesia and China (with usual
 * spellings and slang, e.g. "tokped"), plus names introduced by a payment context
 * ("paid at Kopi Kenangan", "bayar di Warung Bu Sri", "merchant called 'XYZ Games'",
 * "在全家便利店付款").
 */
const KNOWN: [RegExp, string][] = [
  [/\b(?:tokopedia|tokped|toped)\b/i, 'Tokopedia'],
  [/\bshopee(?:pay| ?food)?\b/i, 'Shopee'],
  [/\blazada\b/i, 'Lazada'],
  [/\bbukalapak\b/i, 'Bukalapak'],
  [/\bblibli\b/i, 'Blibli'],
  [/\bgrab ?food\b/i, 'GrabFood'],
  [/\bgrab\b(?! ?food)/i, 'Grab'],
  [/\bgo ?food\b/i, 'GoFood'],
  [/\bgo ?jek\b|\bgojek\b|\bojol\b(?=.*\bgojek)/i, 'Gojek'],
  [/\bindomaret\b/i, 'Indomaret'],
  [/\balfa ?mart\b/i, 'Alfamart'],
  [/\balfamidi\b/i, 'Alfamidi'],
  [/\bstarbucks\b|星巴克/i, 'Starbucks'],
  [/\bkfc\b|肯德基/i, 'KFC'],
  [/\bmcdonald'?s\b|\bmcd\b|麦当劳/i, "McDonald's"],
  [/\bpln\b|token listrik/i, 'PLN'],
  [/\bbpjs\b/i, 'BPJS'],
  [/\bpdam\b/i, 'PDAM'],
  [/\btelkomsel\b/i, 'Telkomsel'],
  [/\bindosat\b/i, 'Indosat'],
  [/\bindihome\b/i, 'IndiHome'],
  [/\btraveloka\b/i, 'Traveloka'],
  [/\btiket\.com\b/i, 'tiket.com'],
  [/\bnetflix\b/i, 'Netflix'],
  [/\bspotify\b/i, 'Spotify'],
  [/\bsteam\b/i, 'Steam'],
  [/\bgoogle play\b/i, 'Google Play'],
  [/\bapp ?store\b/i, 'App Store'],
  [/\bpertamina\b/i, 'Pertamina'],
  [/\bcircle ?k\b/i, 'Circle K'],
  [/\bagoda\b/i, 'Agoda'],
  [/\bkai access\b|\bkereta api indonesia\b/i, 'KAI'],
  [/\bjd\.com\b|京东/i, 'JD.com'],
  [/\btaobao\b|淘宝/i, 'Taobao'],
  [/\btmall\b|天猫/i, 'Tmall'],
  [/\bmeituan\b|美团/i, 'Meituan'],
  [/饿了么|\beleme\b/i, 'Ele.me'],
  [/\bdidi\b|滴滴/i, 'DiDi'],
  [/拼多多|\bpinduoduo\b/i, 'Pinduoduo'],
  [/全家|\bfamily ?mart\b/i, 'FamilyMart'],
  [/\b7-?eleven\b|7-11|711便利店/i, '7-Eleven'],
  [/携程|\bctrip\b|\btrip\.com\b/i, 'Trip.com'],
  [/\b12306\b/, '12306'],
];

const CONTEXT_EN = /\b(?:paid|pay|paying|payment|bought|buy|buying|purchased?|ordered|order|shopping|shopped|checkout|charged by)\s+(?:\w+\s+){0,3}?(?:at|from|to|in|on)\s+((?:[A-Z][\w&'.-]*)(?:\s+[A-Z][\w&'.-]*){0,3})/g;
const CONTEXT_ID = /\b(?:bayar|membayar|pembayaran|beli|membeli|belanja|transaksi|checkout|order|pesan)\s+(?:\w+\s+){0,3}?(?:di|ke|dari)\s+((?:[A-Z][\w&'.-]*)(?:\s+[A-Z][\w&'.-]*){0,3})/g;
const QUOTED = /\b(?:merchant|toko|store|shop|seller|penjual)\s+(?:called|named|bernama|namanya)?\s*['"“‘]([^'"”’]{2,40})['"”’]/gi;
const CONTEXT_ZH = /在([\p{Script=Han}A-Za-z0-9]{2,10}?)(?:付款|支付|付钱|消费|买|购买|下单|充值|缴费|刷卡)/gu;

// Words that follow "at"/"di" but are not merchants.
const NOT_FIRST = /^(?:the|my|a|an|this|that|around|about|least|once|all|jakarta|surabaya|bandung|bali|medan|indonesia|singapore|atm|bank|bca|bri|bni|mandiri|cimb|permata|btn|jenius|rekening|akun|aplikasi|app|sini|situ|sana|hp|rumah|kantor|jam|tanggal|mesin)$/i;
const GENERIC = /^(?:home|work|night|noon|midnight|kasir|cashier|checkout|store|shop|toko|warung|online|merchant|supermarket|minimarket|mall)$/i;
const BANKS_ZH = /^(?:银行|银行卡|支付宝|微信|余额|账户|手机|网上|网店|店里|这里|那里|外地|国外|ATM)/;

const KNOWN_ANY = new RegExp(KNOWN.map(([re]) => '(?:' + re.source + ')').join('|'), 'i');

export function extractMerchants(text: string): string[] {
  const out: string[] = [];
  const add = (name: string): void => {
    const n = name.trim().replace(/[.,;:!?)]+$/, '');
    if (n.length < 2 || out.some((o) => o.toLowerCase() === n.toLowerCase())) return;
    out.push(n);
  };
  if (/['"“‘]/.test(text)) for (const m of text.matchAll(QUOTED)) add(m[1] ?? '');
  if (KNOWN_ANY.test(text)) for (const [re, name] of KNOWN) if (re.test(text)) add(name);
  if (/[A-Z]/.test(text))
    for (const re of [CONTEXT_EN, CONTEXT_ID]) {
    for (const m of text.matchAll(re)) {
      const cand = (m[1] ?? '').trim();
      const first = cand.split(/\s+/)[0] ?? '';
      if (NOT_FIRST.test(first) || GENERIC.test(cand) || /^\d/.test(cand)) continue;
      if (out.some((o) => o.toLowerCase() === cand.toLowerCase() || cand.toLowerCase().startsWith(o.toLowerCase()))) continue;
      add(cand);
    }
  }
  if (text.includes('在'))
    for (const m of text.matchAll(CONTEXT_ZH)) {
    const cand = m[1] ?? '';
    if (BANKS_ZH.test(cand)) continue;
    if (KNOWN.some(([re]) => re.test(cand))) continue;
    add(cand);
  }
  return out.slice(0, 5);
}
