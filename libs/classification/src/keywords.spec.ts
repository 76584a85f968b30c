import { matchCues } from './keywords';

const names = (text: string): string[] => matchCues(text).map((h) => h.feature);

describe('cues', () => {
  it.each([
    ['hp saya dijambret tadi pagi', 'account_security/lost/stolen phone'],
    ['dompet kecopetan di pasar', 'account_security/lost/stolen phone'],
    ['kartu atm saya hilang', 'account_security/lost/stolen phone'],
    ['dapet kode otp padahal saya ga minta', 'account_security/OTP not requested'],
    ['otp masuk terus pdhl sy ga lg login', 'account_security/OTP not requested'],
    ['pin diganti orang lain', 'account_security/changed by someone else'],
    ['ada transaksi yang ga pernah saya lakuin', 'account_security/unauthorised transaction'],
    ['saldo hilang sendiri tanpa transaksi', 'account_security/balance gone without a transaction'],
    ['ada yang ngaku cs minta kode', 'account_security/ngaku cs'],
    ['transaksi ketahan dari tadi', 'transaction_failed/gagal bayar/transfer'],
    ['tf ke bca gk nyampe2', 'transaction_failed/transfer belum sampai'],
  ])('%s -> %s', (text, cue) => expect(names(text)).toContain(cue));

  // Words that also have an everyday sense no longer count as security on their own.
  it.each([
    ['kok fitur paylater saya hilang?', 'account_security/lost/stolen phone'],
    ['aplikasi terbaik, ga pernah ada masalah', 'account_security/unauthorised transaction'],
    ['otp ga masuk jadi ga bisa login', 'account_security/OTP not requested'],
    ['refund belum masuk', 'transaction_failed/transfer belum sampai'],
  ])('%s does not fire %s', (text, cue) => expect(names(text)).not.toContain(cue));
});
