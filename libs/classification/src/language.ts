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
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 65) continue;
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
  const words = text.toLowerCase().match(/[a-z']+/g) ?? [];
  for (const w of words) {
    if (ID_WORDS.has(w)) id++;
    if (EN_WORDS.has(w)) en++;
  }
  if (id === 0 && en === 0) return { language: han > 0 ? 'zh' : 'und', confidence: 0 };
  if (id > en) return { language: 'id', confidence: id / (id + en) };
  if (en > id) return { language: 'en', confidence: en / (id + en) };
  // A tie: Indonesian support messages borrow English words far more than the reverse.
  return { language: 'id', confidence: 0.5 };
}
