/**
 * Transaction, order, booking and reference numbers.
 *  - after a label: "transaction ID TRX-88213409", "order 55120981", "ref RF-20240611-8891",
 *    "ID transaksi 2406118832", "no. referensi: 2405110098123", "no pesanan 88123",
 *    "交易号：2024061512345678", "订单号：JD20240601889", "单号RF20240612";
 *  - on their own when they look like one: letters then digits with at least five digits
 *    ("TRX20240511ABC", "INV-55612", "ORD-44129").
 * A bare number without a label is not taken (it may be a phone or card number).
 */
const LABELLED = new RegExp(
  String.raw`(?:\b(?:transaction|transaksi|trans|trx|txn|tx|order|booking|reference|referensi|ref|receipt|invoice|inv|payment|pembayaran|ticket|case|pesanan|tagihan|resi|struk|nomor|no)\b\.?(?:\s*(?:id|no\.?|number|num|nomor|#))?(?:\s*(?:transaksi|pesanan|referensi|order|tagihan|ref))?\s*[:#：]?\s*|(?:交易号|交易单号|订单号|订单编号|单号|流水号|参考号|编号|账单号|工单号)\s*[:：]?\s*)([A-Za-z0-9][A-Za-z0-9-]{3,39})`,
  'gi',
);
const SHAPED = /\b([A-Z]{2,6}-?\d[\dA-Z-]{4,38})\b/g;

function plausible(id: string): boolean {
  const digits = id.replace(/\D/g, '').length;
  if (digits < 4) return false;
  // Phone numbers: Indonesian 08…/62…, Chinese mobiles 1[3-9] + 9 digits.
  if (/^(?:\+?62|0)8\d{7,12}$/.test(id) || /^1[3-9]\d{9}$/.test(id)) return false;
  return true;
}

export function extractTransactionIds(text: string): string[] {
  if (!/\d\d/.test(text)) return [];
  const out: string[] = [];
  const add = (id: string): void => {
    const clean = id.replace(/-+$/, '');
    if (plausible(clean) && !out.includes(clean)) out.push(clean);
  };
  for (const m of text.matchAll(LABELLED)) add(m[1] ?? '');
  for (const m of text.matchAll(SHAPED)) {
    const id = m[1] ?? '';
    // Amount-like codes ("IDR-75000") are not ids.
    if (/^(?:IDR|RP|USD|SGD|CNY|RMB|EUR|GBP|MYR)-?\d/i.test(id)) continue;
    add(id);
  }
  return out;
}
