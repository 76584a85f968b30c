import type { UrgencyFlag } from '@switchboard/contracts';

/**
 * Urgency hints for the router, from explicit patterns (en, id, zh). They are independent of the
 * category: "hp saya dicuri, saldo hilang" raises both stolen_device and money_lost.
 */
const RULES: { flag: UrgencyFlag; name: string; re: RegExp }[] = [
  {
    flag: 'takeover_in_progress',
    name: 'someone is getting into the account',
    re: /\b(?:someone|somebody|some one)\b.{0,30}\b(?:is |are )?(?:trying to |try to )?(?:log(?:ging)? ?in|sign(?:ing)? ?in|access(?:ing)?|get(?:ting)? into|using|changed?|changing)\b|\b(?:otps?|codes?|verification codes?)\b.{0,30}\b(?:didn'?t|did not|never)\s+(?:request|ask)|\blog ?in (?:alert|attempt|notification)s?\b.{0,60}\b(?:not me|wasn'?t me|didn'?t|did not)|\bnew (?:device|login) .{0,30}\b(?:not me|wasn'?t me)/i,
  },
  {
    flag: 'takeover_in_progress',
    name: 'ada yang mencoba masuk akun',
    re: /\b(?:ada (?:yang|yg|org|orang)|orang lain)\b.{0,30}\b(?:coba|mencoba|nyoba|login|masuk|akses|ganti|mengganti|ubah|pakai|pake|make)\b|\b(?:otp|kode)\b.{0,40}\b(?:padahal|pdhl)\b.{0,20}\b(?:tidak|gak|ga|gk|nggak|ngga|tdk|g)\s*(?:minta|request|login)|\blogin (?:dari|di) (?:perangkat|hp|device) lain\b|\bsedang (?:dibobol|diretas|dihack)\b/i,
  },
  { flag: 'takeover_in_progress', name: '有人在登录', re: /有人(?:在|正在|想|试图)?(?:登|用|盗|改|动)|异地登录|陌生设备登录|(?:收到|一直收到).{0,6}验证码.{0,10}(?:没有|没|不是我)(?:操作|申请|登录)|被(?:别人|他人|人)(?:改|修改|登录)/ },
  {
    flag: 'stolen_device',
    name: 'lost or stolen phone/card',
    re: /\b(?:phone|handphone|mobile|device|card|wallet|bag)\b.{0,20}\b(?:stolen|lost|missing|snatched|pickpocketed)\b|\b(?:stolen|lost|lose)\b.{0,10}\b(?:my |the )?(?:phone|handphone|mobile|device|card)\b|\bpickpocketed\b/i,
  },
  {
    flag: 'stolen_device',
    name: 'hp/kartu hilang atau dicuri',
    re: /\b(?:hp|handphone|ponsel|telepon|telpon|kartu|atm|dompet|hape)\b.{0,25}\b(?:hilang|ilang|dicuri|kecurian|dicopet|kecopetan|dijambret|dirampok|ketinggalan)\b|\b(?:kecopetan|dicopet|kemalingan|kecurian|dijambret)\b/i,
  },
  { flag: 'stolen_device', name: '手机/卡丢失', re: /(?:手机|电话|银行卡|卡|钱包)(?:被偷|被盗(?!刷)|丢|掉了|不见|被抢)|(?:丢了|丢失|被偷了?)(?:手机|卡)/ },
  {
    flag: 'money_lost',
    name: 'money gone or deducted',
    re: /\b(?:money|balance|funds|savings|cash)\b.{0,40}\b(?:gone|missing|disappeared|drained|stolen|deducted|taken|lost|vanished)\b|\b(?:drained|emptied|wiped out)\b|\b(?:deducted|debited|charged)\b.{0,40}\b(?:not|never|didn'?t|but)\b/i,
  },
  {
    flag: 'money_lost',
    name: 'saldo hilang atau terpotong',
    re: /\b(?:saldo|uang|duit|dana|tabungan)\b.{0,30}\b(?:hilang|ilang|raib|lenyap|terkuras|dikuras|ludes|habis|kepotong|terpotong|dipotong|berkurang|kesedot|tersedot|dicuri|nol|0)\b/i,
  },
  { flag: 'money_lost', name: '钱不见了/被扣', re: /(?:钱|余额|资金|存款)(?:全|都)?(?:被(?:转走|盗|扣|偷)|没了|不见了|少了|丢了|清空)|扣了钱|钱(?:已经)?扣了|扣款.{0,10}(?:没到|未到|失败)|被盗刷/ },
];

export interface UrgencyHit {
  flag: UrgencyFlag;
  rule: string;
}

const HAN = /[\u4e00-\u9fff]/;
const COMPILED = RULES.map((r) => ({ ...r, han: HAN.test(r.re.source) }));

export function detectUrgency(text: string): UrgencyHit[] {
  const hits: UrgencyHit[] = [];
  const hasHan = HAN.test(text);
  const hasLatin = /[A-Za-z]/.test(text);
  for (const r of COMPILED) {
    if (r.han ? !hasHan : !hasLatin) continue;
    if (!hits.some((h) => h.flag === r.flag) && r.re.test(text)) hits.push({ flag: r.flag, rule: r.name });
  }
  return hits;
}
