import { Category, Language, ticketTokenOf } from '@switchboard/contracts';

export type ReplyLanguage = Exclude<Language, 'und'>;

export interface AcknowledgementVars {
  ticketNumber: number;
  category: Category;
  /** The ticket waits for an agent to confirm what it is about. */
  triage: boolean;
}

type Texts = {
  opening: (n: number) => string;
  subject: (n: number) => string;
  triage: string;
  next: Record<Category, string>;
};

// Subjects carry the ticket token: a reply from any mail client keeps it and threads onto the ticket.
// First replies follow DESIGN: self-service steps for login, ask for missing details on payments and refunds.
const TEXTS: Record<ReplyLanguage, Texts> = {
  en: {
    opening: (n) => `Thanks for contacting us. Your ticket number is #${n}.`,
    subject: (n) => `We received your message [${ticketTokenOf(n)}]`,
    triage: 'An agent will review your message and reply here.',
    next: {
      login: 'Our account-access team will help you. Meanwhile you can reset your PIN from the login screen with "Forgot PIN".',
      transaction_failed: 'Our payments team is on it. If you have not yet, please reply with the time, amount and merchant of the transaction.',
      account_security: 'Our security team is handling this with priority. Never share your OTP or PIN with anyone, including us.',
      refund: 'Our refunds team will check it. If you have not yet, please reply with the date, amount and merchant.',
      other: 'An agent will reply here soon.',
    },
  },
  id: {
    opening: (n) => `Terima kasih telah menghubungi kami. Nomor tiket Anda #${n}.`,
    subject: (n) => `Pesan Anda sudah kami terima [${ticketTokenOf(n)}]`,
    triage: 'Agen kami akan meninjau pesan Anda dan membalas di sini.',
    next: {
      login: 'Tim akses akun kami akan membantu. Sementara itu, Anda bisa atur ulang PIN dari layar masuk lewat "Lupa PIN".',
      transaction_failed: 'Tim pembayaran kami sedang menanganinya. Jika belum, mohon balas dengan waktu, nominal, dan nama merchant transaksinya.',
      account_security: 'Tim keamanan kami menangani ini sebagai prioritas. Jangan pernah berikan kode OTP atau PIN kepada siapa pun, termasuk kami.',
      refund: 'Tim refund kami akan memeriksanya. Jika belum, mohon balas dengan tanggal, nominal, dan nama merchant.',
      other: 'Agen kami akan segera membalas di sini.',
    },
  },
  zh: {
    opening: (n) => `感谢您联系我们。您的工单号是 #${n}。`,
    subject: (n) => `我们已收到您的消息 [${ticketTokenOf(n)}]`,
    triage: '客服人员会查看您的消息并在这里回复。',
    next: {
      login: '账户登录团队会为您处理。您也可以在登录页点击"忘记密码"自助重置。',
      transaction_failed: '支付团队正在处理。如尚未提供，请回复交易的时间、金额和商户名称。',
      account_security: '安全团队会优先处理。请勿向任何人（包括我们）透露验证码或支付密码。',
      refund: '退款团队会为您核实。如尚未提供，请回复日期、金额和商户名称。',
      other: '客服人员会尽快在这里回复您。',
    },
  },
};

export function replyLanguage(language: Language): ReplyLanguage {
  return language === 'und' ? 'en' : language;
}

/** The first message a customer gets: their ticket number and what happens next, in their language. */
export function acknowledgement(language: Language, vars: AcknowledgementVars): { text: string; subject: string } {
  const texts = TEXTS[replyLanguage(language)];
  const next = vars.triage ? texts.triage : texts.next[vars.category];
  return { text: `${texts.opening(vars.ticketNumber)} ${next}`, subject: texts.subject(vars.ticketNumber) };
}
