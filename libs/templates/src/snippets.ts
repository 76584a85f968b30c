import { Category } from '@switchboard/contracts';

export type ReplyLanguage = 'en' | 'id' | 'zh';

/** A detail the payments teams need before they can look: what the classifier did not find. */
export type MissingDetail = 'time' | 'amount' | 'merchant';

interface Snippets {
  category: Record<Category, string>;
  /** The category's first self-help steps (long form, email and chat). */
  selfHelp: Record<Category, string>;
  /** The same in a few words, for SMS. */
  selfHelpShort: Record<Category, string>;
  queuePosition: (position: number) => string;
  expectedWait: (minutes: number) => string;
  missing: Record<MissingDetail, string>;
  list: (items: string[]) => string;
  survey: string;
  /**
   * After a survey answer: a low score (1-2) is told how to get the problem looked at again (a reply
   * reaches an agent: it reopens an email ticket its token names, or threads or opens one), a high
   * one (4-5) is glad; a 3 gets the thanks alone. Long form, and short for SMS.
   */
  surveyLow: string;
  surveyLowShort: string;
  surveyHigh: string;
}

// Self-help follows the wording; texts were written by people fluent in each language.
export const SNIPPETS: Record<ReplyLanguage, Snippets> = {
  en: {
    category: { login: 'signing in', transaction_failed: 'a failed transaction', account_security: 'account security', refund: 'a refund', other: 'your request' },
    selfHelp: {
      login: 'Meanwhile: check your internet connection, check that your phone number and password are right, and use "Forgot password" on the sign-in screen. A locked account needs an agent to confirm your identity.',
      transaction_failed: 'Meanwhile: check your balance and note the time and amount of the transaction. If money was deducted and the payment failed, we will investigate and refund it.',
      account_security: 'We are protecting your account now and may freeze it for your safety. Never share OTP codes with anyone, including us. Turn on two-step verification.',
      refund: 'Refund requests are reviewed and processed in about 3-5 business days. We will tell you the result, and the reason if it is rejected.',
      other: 'An agent will reply here.',
    },
    selfHelpShort: {
      login: 'Try "Forgot password"; locked accounts need an agent.',
      transaction_failed: 'If money was deducted, we will refund it.',
      account_security: 'Never share your OTP. We may freeze the account.',
      refund: 'Refunds take 3-5 business days.',
      other: 'An agent will reply.',
    },
    queuePosition: (p) => `You are number ${p} in the queue.`,
    expectedWait: (m) => `Expected wait: about ${m} min.`,
    missing: { time: 'the time of the transaction', amount: 'the amount', merchant: 'the merchant' },
    list: (items) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`),
    survey: 'How satisfied are you with our help? Reply with a number from 1 (not at all) to 5 (very).',
    surveyLow: 'We are sorry we fell short. If the problem is not solved, reply to this message and an agent will look at it again.',
    surveyLowShort: 'Sorry we fell short. Not solved? Reply and an agent will look again.',
    surveyHigh: 'We are glad we could help.',
  },
  id: {
    category: { login: 'masalah masuk akun', transaction_failed: 'transaksi gagal', account_security: 'keamanan akun', refund: 'refund', other: 'permintaan Anda' },
    selfHelp: {
      login: 'Sementara itu: periksa koneksi internet, pastikan nomor HP dan kata sandi sudah benar, dan gunakan "Lupa kata sandi" di layar masuk. Akun yang terkunci perlu konfirmasi identitas oleh agen kami.',
      transaction_failed: 'Sementara itu: periksa saldo Anda dan catat waktu serta nominal transaksinya. Jika saldo terpotong dan pembayaran gagal, kami akan menyelidiki dan mengembalikannya.',
      account_security: 'Kami sedang melindungi akun Anda dan mungkin membekukannya demi keamanan. Jangan pernah berikan kode OTP kepada siapa pun, termasuk kami. Aktifkan verifikasi dua langkah.',
      refund: 'Permintaan refund ditinjau dan diproses dalam sekitar 3-5 hari kerja. Kami akan memberi tahu hasilnya, beserta alasannya jika ditolak.',
      other: 'Agen kami akan membalas di sini.',
    },
    selfHelpShort: {
      login: 'Coba "Lupa kata sandi"; akun terkunci perlu agen.',
      transaction_failed: 'Jika saldo terpotong, akan kami kembalikan.',
      account_security: 'Jangan berikan OTP. Akun bisa kami bekukan.',
      refund: 'Refund diproses 3-5 hari kerja.',
      other: 'Agen kami akan membalas.',
    },
    queuePosition: (p) => `Anda di antrean nomor ${p}.`,
    expectedWait: (m) => `Perkiraan waktu tunggu: sekitar ${m} menit.`,
    missing: { time: 'waktu transaksi', amount: 'nominalnya', merchant: 'nama merchant' },
    list: (items) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} dan ${items[items.length - 1]}`),
    survey: 'Seberapa puas Anda dengan bantuan kami? Balas dengan angka 1 (tidak puas) sampai 5 (sangat puas).',
    surveyLow: 'Mohon maaf kami belum memuaskan Anda. Jika masalahnya belum selesai, balas pesan ini dan agen kami akan memeriksanya kembali.',
    surveyLowShort: 'Maaf belum memuaskan. Belum selesai? Balas, agen akan memeriksa lagi.',
    surveyHigh: 'Kami senang dapat membantu.',
  },
  zh: {
    category: { login: '登录问题', transaction_failed: '交易失败', account_security: '账户安全', refund: '退款', other: '您的请求' },
    selfHelp: {
      login: '您可以先：检查网络连接，确认手机号和密码是否正确，并在登录页点击"忘记密码"。账户被锁定时需要客服核实您的身份。',
      transaction_failed: '您可以先：查看余额，并记下交易的时间和金额。如果已扣款但支付失败，我们会调查并退还。',
      account_security: '我们正在保护您的账户，必要时可能会冻结账户。请勿向任何人（包括我们）透露验证码。请开启两步验证。',
      refund: '退款申请约在3-5个工作日内审核处理。我们会通知您结果，如被拒绝会说明原因。',
      other: '客服会在这里回复您。',
    },
    selfHelpShort: {
      login: '可试"忘记密码"；账户锁定需客服处理。',
      transaction_failed: '如已扣款，我们会退还。',
      account_security: '勿透露验证码，账户可能被冻结。',
      refund: '退款需3-5个工作日。',
      other: '客服会尽快回复。',
    },
    queuePosition: (p) => `您在队列中排第${p}位。`,
    expectedWait: (m) => `预计等待约${m}分钟。`,
    missing: { time: '交易时间', amount: '金额', merchant: '商户名称' },
    list: (items) => items.join('、'),
    survey: '您对我们的服务满意吗？请回复1（很不满意）到5（非常满意）之间的数字。',
    surveyLow: '很抱歉没能让您满意。如果问题仍未解决，请直接回复此消息，客服会再次为您处理。',
    surveyLowShort: '很抱歉未能让您满意。问题未解决请回复，客服会再处理。',
    surveyHigh: '很高兴能帮到您。',
  },
};
