/**
 * Token normalisation for informal Indonesian and English: chat abbreviations, slang and common
 * misspellings map to one canonical spelling, so "gk bisa", "gabisa" and "tidak bisa" share
 * features. The map is written from general knowledge of the languages, not from any test split.
 * Values may hold two words ("tidak bisa"); the tokenizer splits them.
 */
export const SLANG: Record<string, string> = {
  // Indonesian negation and ability
  gk: 'tidak', ga: 'tidak', gak: 'tidak', g: 'tidak', ngga: 'tidak', nggak: 'tidak', enggak: 'tidak', engga: 'tidak',
  gx: 'tidak', tdk: 'tidak', tak: 'tidak', kagak: 'tidak', ndak: 'tidak', nda: 'tidak', gag: 'tidak', ngak: 'tidak',
  gabisa: 'tidak bisa', gbs: 'tidak bisa', gbisa: 'tidak bisa', gkbisa: 'tidak bisa', gakbisa: 'tidak bisa', tdkbisa: 'tidak bisa',
  bs: 'bisa', bisaa: 'bisa', gada: 'tidak ada', gaada: 'tidak ada', gakada: 'tidak ada', blm: 'belum', blum: 'belum', lom: 'belum', lum: 'belum',
  // tense and aspect
  udh: 'sudah', udah: 'sudah', sdh: 'sudah', dah: 'sudah', uda: 'sudah', sudh: 'sudah', lg: 'lagi', msh: 'masih', masi: 'masih',
  // pronouns and address
  sy: 'saya', aq: 'saya', aku: 'saya', ak: 'saya', gw: 'saya', gue: 'saya', gua: 'saya', ane: 'saya', w: 'saya', sya: 'saya',
  ku: 'saya', km: 'kamu', lu: 'kamu', lo: 'kamu', elu: 'kamu',
  min: 'admin', mimin: 'admin', kak: 'admin', ka: 'admin', kaka: 'admin', gan: 'admin', sis: 'admin', cs: 'admin',
  // function words
  yg: 'yang', dgn: 'dengan', dg: 'dengan', utk: 'untuk', untk: 'untuk', buat: 'untuk', bwt: 'untuk', krn: 'karena', karna: 'karena',
  soalnya: 'karena', tp: 'tapi', tpi: 'tapi', jd: 'jadi', jdi: 'jadi', kalo: 'kalau', klo: 'kalau', kl: 'kalau', klw: 'kalau',
  trs: 'terus', trus: 'terus', ato: 'atau', sm: 'sama', jg: 'juga', aja: 'saja', aj: 'saja', dr: 'dari', dri: 'dari', dar: 'dari',
  pdhl: 'padahal', pdahal: 'padahal', td: 'tadi', tdi: 'tadi', skrg: 'sekarang', skrang: 'sekarang', sekarng: 'sekarang',
  smpe: 'sampai', sampe: 'sampai', ampe: 'sampai', smpai: 'sampai', bgt: 'banget', bngt: 'banget', dlm: 'dalam',
  knp: 'kenapa', napa: 'kenapa', kenpa: 'kenapa', gmn: 'gimana', gmna: 'gimana', bagaimana: 'gimana', gimna: 'gimana',
  brp: 'berapa', brapa: 'berapa', kpn: 'kapan', dmn: 'dimana', tlg: 'tolong', tolonk: 'tolong', mohon: 'tolong', bantu: 'bantu',
  tq: 'terima kasih', makasih: 'terima kasih', mksh: 'terima kasih', trims: 'terima kasih', thx: 'thanks', thanx: 'thanks', tks: 'thanks',
  kmrn: 'kemarin', kemaren: 'kemarin', kmren: 'kemarin', kmarin: 'kemarin', bsk: 'besok', mlm: 'malam', mlam: 'malam',
  // domain words
  tf: 'transfer', trf: 'transfer', trnsfer: 'transfer', transfr: 'transfer', topup: 'top up', tu: 'top up', isiulang: 'top up',
  kepotong: 'terpotong', kpotong: 'terpotong', dipotong: 'terpotong', kepotongg: 'terpotong', motong: 'terpotong', potong: 'terpotong',
  duit: 'uang', duitnya: 'uangnya', doku: 'uang', saldonya: 'saldo', akunnya: 'akun', akunku: 'akun saya', akun2: 'akun',
  apk: 'aplikasi', aplikasinya: 'aplikasi', app: 'aplikasi', apps: 'aplikasi', aplikasi2: 'aplikasi', hp: 'hp', hape: 'hp',
  trx: 'transaksi', transaksinya: 'transaksi', trans: 'transaksi', txn: 'transaction', tx: 'transaction',
  pw: 'password', pwd: 'password', pass: 'password', passwd: 'password', pasword: 'password', paswd: 'password', sandi: 'password',
  passcode: 'password', katasandi: 'password', kode: 'code', otpnya: 'otp', verif: 'verifikasi', ferifikasi: 'verifikasi',
  hack: 'hacked', dihack: 'hacked', dihek: 'hacked', dihck: 'hacked', hek: 'hacked', hacker: 'hacked', hekel: 'hacked',
  ilang: 'hilang', ilng: 'hilang', hlng: 'hilang', balikin: 'kembalikan', kembaliin: 'kembalikan', dibalikin: 'dikembalikan',
  dikembaliin: 'dikembalikan', refun: 'refund', refnd: 'refund', refaund: 'refund', rifund: 'refund',
  // more Indonesian chat spellings (general usage, written from knowledge of the language)
  ngk: 'tidak', nggk: 'tidak', ngga2: 'tidak', tida: 'tidak', tdak: 'tidak', gamau: 'tidak mau', gausah: 'tidak usah', gajadi: 'tidak jadi',
  gamasuk: 'tidak masuk', gakmasuk: 'tidak masuk', gkmasuk: 'tidak masuk', gabs: 'tidak bisa', gkbs: 'tidak bisa', bsa: 'bisa', bisah: 'bisa',
  msuk: 'masuk', msk: 'masuk', masok: 'masuk', kluar: 'keluar', klr: 'keluar', kluarr: 'keluar', bnyk: 'banyak', byk: 'banyak',
  kdg: 'kadang', kdang: 'kadang', srg: 'sering', sring: 'sering', lgi: 'lagi', lgsg: 'langsung', lsg: 'langsung', langsng: 'langsung',
  btuh: 'butuh', ttp: 'tetap', tetep: 'tetap', gmana: 'gimana', sllu: 'selalu', slalu: 'selalu', sll: 'selalu', lwat: 'lewat', lwt: 'lewat',
  jgn: 'jangan', jngn: 'jangan', jangn: 'jangan', sgt: 'sangat', org: 'orang', orng: 'orang', pd: 'pada', pda: 'pada', lma: 'lama',
  dtg: 'datang', dateng: 'datang', nyampe: 'sampai', nyampai: 'sampai', smp: 'sampai', nunggu: 'tunggu', nungguin: 'tunggu', tggu: 'tunggu',
  ngecek: 'cek', ngirim: 'kirim', krim: 'kirim', notif: 'notifikasi', nomer: 'nomor', nmr: 'nomor', nmor: 'nomor', gnti: 'ganti',
  byr: 'bayar', bayr: 'bayar', pembyrn: 'pembayaran', pmbayaran: 'pembayaran', pembayarannya: 'pembayaran', trnsaksi: 'transaksi',
  transaksii: 'transaksi', sldo: 'saldo', saldoku: 'saldo saya', uangku: 'uang saya', duitku: 'uang saya', uangnya: 'uang',
  topap: 'top up', topupnya: 'top up', ditopup: 'top up', lging: 'login', loging: 'login', logn: 'login', loginnya: 'login',
  keblokir: 'diblokir', terblokir: 'diblokir', kblokir: 'diblokir', blokir: 'diblokir', dibekukan: 'diblokir', dibekuin: 'diblokir',
  dibobol: 'hacked', kebobol: 'hacked', dibajak: 'hacked', kebajak: 'hacked', diretas: 'hacked', peretas: 'hacked',
  nipu: 'tipu', ditipu: 'tipu', penipu: 'penipuan', lenyap: 'hilang', raib: 'hilang', ilangg: 'hilang', hilng: 'hilang',
  refundnya: 'refund', direfund: 'refund', refound: 'refund', riffund: 'refund', pengembaliannya: 'pengembalian',
  aplikasih: 'aplikasi', apknya: 'aplikasi', aplikasinyaa: 'aplikasi', costumer: 'customer', customor: 'customer', costumor: 'customer',
  gangguan: 'gangguan', ganguan: 'gangguan', gngguan: 'gangguan', eror: 'error', erorr: 'error', errornya: 'error',
  // English SMS
  u: 'you', ur: 'your', r: 'are', pls: 'please', plz: 'please', plss: 'please', pleas: 'please', pleasee: 'please',
  cant: 'can not', cannot: 'can not', "can't": 'can not', couldnt: 'could not', "couldn't": 'could not', dont: 'do not', "don't": 'do not',
  doesnt: 'does not', "doesn't": 'does not', didnt: 'did not', "didn't": 'did not', wont: 'will not', "won't": 'will not',
  isnt: 'is not', "isn't": 'is not', wasnt: 'was not', "wasn't": 'was not', havent: 'have not', "haven't": 'have not',
  hasnt: 'has not', "hasn't": 'has not', im: 'i am', "i'm": 'i am', ive: 'i have', "i've": 'i have', "it's": 'it is',
  acc: 'account', acct: 'account', accnt: 'account', accout: 'account', acount: 'account', msg: 'message', txt: 'message',
  recieve: 'receive', recieved: 'received', recived: 'received', payed: 'paid', transfered: 'transferred',
  loggin: 'login', signin: 'sign in', logon: 'log on', 'log-in': 'login', 'sign-in': 'sign in', 'log': 'log',
  bal: 'balance', blance: 'balance', ballance: 'balance', asap: 'urgent', tmr: 'tomorrow', tmrw: 'tomorrow', yday: 'yesterday',
  ytd: 'yesterday', hrs: 'hours', hr: 'hour', mins: 'minutes', b4: 'before', bcoz: 'because', coz: 'because', cuz: 'because',
  wat: 'what', y: 'why', wtf: 'what', idk: 'i do not know', pin: 'pin',
};

const SPLIT = new Map<string, string[]>();
for (const [k, v] of Object.entries(SLANG)) SPLIT.set(k, v.split(' '));

/** Canonical tokens for one lower-cased Latin token (usually one, sometimes two). */
export function canonical(token: string): string[] | undefined {
  return SPLIT.get(token);
}
