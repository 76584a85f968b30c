import type { Language } from '@switchboard/contracts';

/**
 * Language identification for short, informal support messages.
 *
 * Chinese is recognised by script (Han characters). Indonesian and English share the Latin
 * script, so they are told apart by counting frequent function words and chat slang of each
 * language. Anything without letters (emoji only, digits only) or without any marker is `und`.
 */

const ID_WORDS = new Set(
  (
    'yang dan di ke dari ini itu saya sy aku aq gue gw gua ku kamu anda kak kakak min admin mimin gan bang pak bu ' +
    'tidak tdk gak gk ga gak ngga nggak enggak engga g bukan blm belum sudah udah udh sdh dah lagi lg masih msh ' +
    'bisa bs bisaa dapat dpt mau mo ingin pengen pingin tolong tlg mohon bantu bantuannya dong donk deh sih kok ' +
    'ya iya yg dgn dengan untuk utk buat bwt karena krn karna soalnya tapi tp jadi jd kalau kalo klo kl ' +
    'kenapa knp napa gimana bagaimana gmn gmna bagaimna apa apakah kapan berapa brp mana dimana ' +
    'saldo uang duit masuk keluar kepotong terpotong dipotong potong gagal berhasil sukses akun aplikasi apk ' +
    'sudah pesanan pembayaran bayar dibayar transaksi kembali dikembalikan pengembalian dana kode hilang dicuri ' +
    'hp nomor nomer no. baru lama hari kemarin kmrn kemaren tadi td besok minggu bulan jam pagi siang sore malam ' +
    'terima kasih makasih trims tq thx selamat halo hai pagi sore malam banget bgt sekali sangat juga jg ' +
    'akan sedang lagi sama sm atau ato masa kayak kyk aja saja doang cuma cuman padahal sampai sampe smpe ' +
    'ada gada gaada nggak tak pakai pake login masuk keluar kirim dikirim terkirim tarik isi topup ulang'
  ).split(/\s+/),
);

const EN_WORDS = new Set(
  (
    'the a an i im i\'m me my mine you your we our they their he she it its is are was were be been being am ' +
    'to of in on at for from with by about as into over after before than then so and or but not no yes ' +
    'do does did done don\'t doesn\'t didn\'t can can\'t cannot could couldn\'t will won\'t would should must ' +
    'have has had haven\'t hasn\'t please pls plz help hello hi hey dear thanks thank regards sincerely ' +
    'what why how when where which who whom whose there here this that these those ' +
    'money account payment paid pay transfer sent send received receive refund charged charge card phone ' +
    'still yet already just only never again now today yesterday tomorrow morning evening night week ' +
    'log login sign password code failed fail stuck pending balance wallet app order been get got want need'
  ).split(/\s+/),
);

// Words spelled the same in both languages carry no signal.
for (const w of ['di', 'no', 'a', 'login', 'transfer', 'top', 'up', 'app', 'pin', 'otp']) {
  ID_WORDS.delete(w);
  EN_WORDS.delete(w);
}

/**
 * The marker words in an open-addressing table keyed by their FNV-1a hash, so that the words of a
 * message are looked up while it is scanned, without lower-casing it or cutting it into strings.
 */
const TABLE_BITS = 11;
const TABLE_MASK = (1 << TABLE_BITS) - 1;
const slotHash = new Int32Array(1 << TABLE_BITS);
const slotWord: string[] = new Array<string>(1 << TABLE_BITS).fill('');
/** 1: an Indonesian marker, 2: an English one (both for a word in both lists). */
const slotFlags = new Uint8Array(1 << TABLE_BITS);

function fnv(h: number, c: number): number {
  return Math.imul(h ^ c, 16777619) | 0;
}

for (const [set, flag] of [[ID_WORDS, 1], [EN_WORDS, 2]] as const) {
  for (const w of set) {
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < w.length; i++) h = fnv(h, w.charCodeAt(i));
    let slot = h & TABLE_MASK;
    while (slotFlags[slot] !== 0 && slotWord[slot] !== w) slot = (slot + 1) & TABLE_MASK;
    slotHash[slot] = h;
    slotWord[slot] = w;
    slotFlags[slot] = (slotFlags[slot] as number) | flag;
  }
}

/** Flags of the word text[start, end) (ASCII letters and apostrophes, any case) with hash h. */
function markerFlags(text: string, start: number, end: number, h: number): number {
  for (let slot = h & TABLE_MASK; slotFlags[slot] !== 0; slot = (slot + 1) & TABLE_MASK) {
    if (slotHash[slot] !== h) continue;
    const w = slotWord[slot] as string;
    if (w.length !== end - start) continue;
    let same = true;
    for (let i = 0; i < w.length && same; i++) {
      const c = text.charCodeAt(start + i);
      same = (c >= 65 && c <= 90 ? c + 32 : c) === w.charCodeAt(i);
    }
    if (same) return slotFlags[slot] as number;
  }
  return 0;
}

/** The marker word lists, for tests that check the scanning lookup against them. */
export const MARKER_WORDS: { readonly id: ReadonlySet<string>; readonly en: ReadonlySet<string> } = { id: ID_WORDS, en: EN_WORDS };

function isHanCode(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff);
}

function isLetterCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7);
}

export interface LanguageGuess {
  language: Language;
  /** Share of the evidence behind the guess, 0..1. */
  confidence: number;
}

export function detectLanguage(text: string): LanguageGuess {
  let han = 0;
  let latin = 0;
  // Whether lower-casing could turn a character outside ASCII into an ASCII letter (İ, the Kelvin sign).
  let foldsToAscii = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 65) continue;
    if (c === 0x130 || c === 0x212a) foldsToAscii = true;
    if (isHanCode(c)) han++;
    else if (isLetterCode(c)) latin++;
    else if (c >= 0xd800 && c <= 0xdbff) {
      // Han extension B and beyond (surrogate pairs) count as Han.
      const cp = text.codePointAt(i) ?? 0;
      if (cp >= 0x20000 && cp <= 0x323af) han++;
      i++;
    }
  }
  if (han === 0 && latin === 0) return { language: 'und', confidence: 0 };
  // A Chinese message often carries Latin words (app names, "OTP", "ID"); two Han characters per
  // Latin word is plenty to call it Chinese.
  if (han >= 2 && han * 3 >= latin) return { language: 'zh', confidence: Math.min(1, han / (han + latin / 3)) };

  let id = 0;
  let en = 0;
  if (foldsToAscii) {
    const words = text.toLowerCase().match(/[a-z']+/g) ?? [];
    for (const w of words) {
      if (ID_WORDS.has(w)) id++;
      if (EN_WORDS.has(w)) en++;
    }
  } else {
    // The runs of [a-z'] in the lower-cased text are the runs of [A-Za-z'] in the text itself.
    let start = -1;
    let h = 0;
    for (let i = 0; i <= text.length; i++) {
      const c = i < text.length ? text.charCodeAt(i) : 0;
      const lower = c >= 65 && c <= 90 ? c + 32 : c;
      if ((lower >= 97 && lower <= 122) || lower === 39) {
        if (start < 0) {
          start = i;
          h = 0x811c9dc5 | 0;
        }
        h = fnv(h, lower);
      } else if (start >= 0) {
        const flags = markerFlags(text, start, i, h);
        if (flags & 1) id++;
        if (flags & 2) en++;
        start = -1;
      }
    }
  }
  if (id === 0 && en === 0) return { language: han > 0 ? 'zh' : 'und', confidence: 0 };
  if (id > en) return { language: 'id', confidence: id / (id + en) };
  if (en > id) return { language: 'en', confidence: en / (id + en) };
  // A tie: Indonesian support messages borrow English words far more than the reverse.
  return { language: 'id', confidence: 0.5 };
}
