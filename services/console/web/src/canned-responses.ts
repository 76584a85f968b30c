import { Category, Language } from './api-types.js';

/** A reply an agent starts from; `{ticket}` and `{name}` are filled in, the agent edits the rest. */
export interface CannedResponse {
  title: string;
  text: string;
}

type Catalogue = Record<Category, Record<'en' | 'id' | 'zh', CannedResponse[]>>;

/**
 * The checked-in catalogue: a few answers per category in each language we reply in. Kept small
 * on purpose; the notifier's templates cover automatic messages, these are the agents' openers.
 */
export const CANNED_RESPONSES: Catalogue = {
  login: {
    en: [
      { title: 'Reset PIN steps', text: 'Hi {name}, to reset your PIN open the app, tap "Forgot PIN" on the sign-in screen and follow the OTP sent to your registered number. Let me know if the OTP does not arrive. (ticket {ticket})' },
      { title: 'Account unlocked', text: 'Hi {name}, I have unlocked your account. Please sign in again and change your PIN right away. (ticket {ticket})' },
    ],
    id: [
      { title: 'Langkah reset PIN', text: 'Halo {name}, untuk reset PIN buka aplikasi, ketuk "Lupa PIN" di layar masuk dan ikuti OTP yang dikirim ke nomor terdaftar Anda. Kabari kami bila OTP tidak masuk. (tiket {ticket})' },
      { title: 'Akun sudah dibuka', text: 'Halo {name}, akun Anda sudah kami buka kembali. Silakan masuk lagi dan segera ganti PIN Anda. (tiket {ticket})' },
    ],
    zh: [
      { title: '重置密码步骤', text: '{name}您好，请打开应用，在登录页点击“忘记PIN”，并按发送到您注册号码的验证码操作。如未收到验证码请告诉我们。（工单 {ticket}）' },
      { title: '账户已解锁', text: '{name}您好，您的账户已解锁。请重新登录并立即修改PIN。（工单 {ticket}）' },
    ],
  },
  transaction_failed: {
    en: [
      { title: 'Ask for details', text: 'Hi {name}, sorry about the failed transaction. Could you send the time, the amount and the merchant or recipient so I can trace it? (ticket {ticket})' },
      { title: 'Funds returned', text: 'Hi {name}, the deducted amount has been returned to your balance. It can take a few minutes to show. (ticket {ticket})' },
    ],
    id: [
      { title: 'Minta detail', text: 'Halo {name}, mohon maaf atas transaksi yang gagal. Boleh kirimkan waktu, nominal dan merchant atau penerima agar bisa kami lacak? (tiket {ticket})' },
      { title: 'Dana dikembalikan', text: 'Halo {name}, saldo yang terpotong sudah dikembalikan. Mungkin perlu beberapa menit sampai terlihat. (tiket {ticket})' },
    ],
    zh: [
      { title: '询问详情', text: '{name}您好，很抱歉交易失败。请提供时间、金额以及商户或收款人，以便我们查询。（工单 {ticket}）' },
      { title: '款项已退回', text: '{name}您好，被扣除的金额已退回您的余额，可能需要几分钟才会显示。（工单 {ticket}）' },
    ],
  },
  account_security: {
    en: [
      { title: 'Account frozen', text: 'Hi {name}, we have frozen your account to protect your balance. Never share your OTP with anyone, including us. We will contact you to verify your identity. (ticket {ticket})' },
      { title: 'Verify identity', text: 'Hi {name}, to restore access we need to verify it is you. Please reply with the last 4 digits of your registered number and your date of birth. (ticket {ticket})' },
    ],
    id: [
      { title: 'Akun dibekukan', text: 'Halo {name}, akun Anda kami bekukan untuk melindungi saldo Anda. Jangan pernah membagikan OTP kepada siapa pun, termasuk kami. Kami akan menghubungi Anda untuk verifikasi. (tiket {ticket})' },
      { title: 'Verifikasi identitas', text: 'Halo {name}, untuk memulihkan akses kami perlu memastikan ini Anda. Balas dengan 4 digit terakhir nomor terdaftar dan tanggal lahir Anda. (tiket {ticket})' },
    ],
    zh: [
      { title: '账户已冻结', text: '{name}您好，为保护您的余额，我们已冻结您的账户。请勿向任何人（包括我们）透露验证码。我们会联系您核实身份。（工单 {ticket}）' },
      { title: '身份验证', text: '{name}您好，为恢复访问我们需要核实您的身份。请回复注册号码的后4位和您的出生日期。（工单 {ticket}）' },
    ],
  },
  refund: {
    en: [
      { title: 'Refund timeline', text: 'Hi {name}, refunds reach your balance within 3–5 business days after the merchant approves them. I will keep this ticket open until it arrives. (ticket {ticket})' },
      { title: 'Ask for details', text: 'Hi {name}, could you send the date, the amount and the merchant of the purchase so I can check the refund? (ticket {ticket})' },
    ],
    id: [
      { title: 'Waktu refund', text: 'Halo {name}, refund masuk ke saldo dalam 3–5 hari kerja setelah disetujui merchant. Tiket ini tetap kami buka sampai dana masuk. (tiket {ticket})' },
      { title: 'Minta detail', text: 'Halo {name}, boleh kirimkan tanggal, nominal dan merchant pembelian agar refund bisa kami cek? (tiket {ticket})' },
    ],
    zh: [
      { title: '退款时间', text: '{name}您好，商户批准后，退款会在3–5个工作日内退回您的余额。到账前此工单将保持开启。（工单 {ticket}）' },
      { title: '询问详情', text: '{name}您好，请提供购买日期、金额和商户，以便我们查询退款。（工单 {ticket}）' },
    ],
  },
  other: {
    en: [{ title: 'Looking into it', text: 'Hi {name}, thanks for writing in. I am looking into this and will get back to you shortly. (ticket {ticket})' }],
    id: [{ title: 'Sedang dicek', text: 'Halo {name}, terima kasih sudah menghubungi kami. Sedang saya cek dan segera saya kabari. (tiket {ticket})' }],
    zh: [{ title: '正在处理', text: '{name}您好，感谢您的来信。我正在查看，会尽快回复您。（工单 {ticket}）' }],
  },
};

/** The answers for a ticket's category in its language; undetermined languages get English. */
export function cannedFor(category: Category, language: Language | undefined): CannedResponse[] {
  const lang = language === 'id' || language === 'zh' ? language : 'en';
  return (CANNED_RESPONSES[category] ?? CANNED_RESPONSES.other)[lang];
}

/** Fills the placeholders; a customer without a name is greeted without one. */
export function fillCanned(text: string, values: { name?: string; ticket: number }): string {
  const name = values.name?.trim();
  return text
    .replace(/\{name\}/g, name ?? '')
    .replace(/\{ticket\}/g, `SB-${values.ticket}`)
    .replace(/^(Hi|Halo) ,/, '$1,');
}
