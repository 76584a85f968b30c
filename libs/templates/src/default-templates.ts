import { MessageKind, TemplateText } from './message-kinds';
import { ReplyLanguage } from './snippets';

// Subjects carry the ticket token: a reply from any mail client keeps it and threads onto the ticket.
// Texts keep `#{{ticketNumber}}` so customers can quote it on any channel. SMS forms stay within
// two segments (a spec measures them): `selfHelp` is the short version there.
export const DEFAULT_TEMPLATES: Record<MessageKind, Record<ReplyLanguage, TemplateText>> = {
  received: {
    en: {
      subject: 'We received your message [{{ticketToken}}]',
      text: 'Thanks for contacting us. Your ticket number is #{{ticketNumber}} ({{category}}). {{queueLine}}\n\n{{selfHelp}}',
      sms: 'Ticket #{{ticketNumber}} received. {{selfHelp}}',
    },
    id: {
      subject: 'Pesan Anda sudah kami terima [{{ticketToken}}]',
      text: 'Terima kasih telah menghubungi kami. Nomor tiket Anda #{{ticketNumber}} ({{category}}). {{queueLine}}\n\n{{selfHelp}}',
      sms: 'Tiket #{{ticketNumber}} diterima. {{selfHelp}}',
    },
    zh: {
      subject: '我们已收到您的消息 [{{ticketToken}}]',
      text: '感谢您联系我们。您的工单号是 #{{ticketNumber}}（{{category}}）。{{queueLine}}\n\n{{selfHelp}}',
      sms: '工单#{{ticketNumber}}已收到。{{selfHelp}}',
    },
  },
  need_details: {
    en: {
      subject: 'A few details for your ticket [{{ticketToken}}]',
      text: 'To look into ticket #{{ticketNumber}} we need {{missing}}. Please reply with them here.',
      sms: 'Ticket #{{ticketNumber}}: please reply with {{missing}}.',
    },
    id: {
      subject: 'Mohon lengkapi data tiket Anda [{{ticketToken}}]',
      text: 'Untuk memeriksa tiket #{{ticketNumber}}, kami perlu {{missing}}. Mohon balas dengan data tersebut di sini.',
      sms: 'Tiket #{{ticketNumber}}: mohon balas dengan {{missing}}.',
    },
    zh: {
      subject: '请补充工单信息 [{{ticketToken}}]',
      text: '为处理工单 #{{ticketNumber}}，我们需要{{missing}}。请在这里回复。',
      sms: '工单#{{ticketNumber}}：请回复{{missing}}。',
    },
  },
  assigned: {
    en: { subject: '{{agentName}} is on your ticket [{{ticketToken}}]', text: '{{agentName}} from our team is now handling ticket #{{ticketNumber}}.', sms: '{{agentName}} is now handling ticket #{{ticketNumber}}.' },
    id: { subject: '{{agentName}} menangani tiket Anda [{{ticketToken}}]', text: '{{agentName}} dari tim kami sekarang menangani tiket #{{ticketNumber}}.', sms: '{{agentName}} menangani tiket #{{ticketNumber}}.' },
    zh: { subject: '{{agentName}} 正在处理您的工单 [{{ticketToken}}]', text: '{{agentName}} 正在处理您的工单 #{{ticketNumber}}。', sms: '{{agentName}}正在处理工单#{{ticketNumber}}。' },
  },
  agent_reply: {
    en: { subject: 'Re: your ticket [{{ticketToken}}]', text: '{{replyText}}\n\n{{agentName}}', sms: '{{replyText}}' },
    id: { subject: 'Balasan untuk tiket Anda [{{ticketToken}}]', text: '{{replyText}}\n\n{{agentName}}', sms: '{{replyText}}' },
    zh: { subject: '回复：您的工单 [{{ticketToken}}]', text: '{{replyText}}\n\n{{agentName}}', sms: '{{replyText}}' },
  },
  waiting_for_customer: {
    en: { subject: 'We are waiting for your reply [{{ticketToken}}]', text: 'We need your reply to continue with ticket #{{ticketNumber}}. Just answer this message.', sms: 'Ticket #{{ticketNumber}} waits for your reply.' },
    id: { subject: 'Kami menunggu balasan Anda [{{ticketToken}}]', text: 'Kami perlu balasan Anda untuk melanjutkan tiket #{{ticketNumber}}. Cukup balas pesan ini.', sms: 'Tiket #{{ticketNumber}} menunggu balasan Anda.' },
    zh: { subject: '等待您的回复 [{{ticketToken}}]', text: '我们需要您的回复才能继续处理工单 #{{ticketNumber}}。直接回复此消息即可。', sms: '工单#{{ticketNumber}}等待您的回复。' },
  },
  resolved: {
    en: { subject: 'Your ticket is resolved [{{ticketToken}}]', text: 'Ticket #{{ticketNumber}} is resolved. {{surveyQuestion}}', sms: 'Ticket #{{ticketNumber}} resolved. Rate us 1-5 by reply.' },
    id: { subject: 'Tiket Anda sudah selesai [{{ticketToken}}]', text: 'Tiket #{{ticketNumber}} sudah selesai. {{surveyQuestion}}', sms: 'Tiket #{{ticketNumber}} selesai. Beri nilai 1-5 dengan membalas.' },
    zh: { subject: '您的工单已解决 [{{ticketToken}}]', text: '工单 #{{ticketNumber}} 已解决。{{surveyQuestion}}', sms: '工单#{{ticketNumber}}已解决。回复1-5为我们评分。' },
  },
  reopened: {
    en: { subject: 'Your ticket is open again [{{ticketToken}}]', text: 'We reopened ticket #{{ticketNumber}} with your message; an agent will follow up.', sms: 'Ticket #{{ticketNumber}} reopened; an agent will follow up.' },
    id: { subject: 'Tiket Anda dibuka kembali [{{ticketToken}}]', text: 'Tiket #{{ticketNumber}} kami buka kembali dengan pesan Anda; agen kami akan menindaklanjuti.', sms: 'Tiket #{{ticketNumber}} dibuka kembali; agen akan menindaklanjuti.' },
    zh: { subject: '您的工单已重新打开 [{{ticketToken}}]', text: '我们已根据您的消息重新打开工单 #{{ticketNumber}}，客服会跟进。', sms: '工单#{{ticketNumber}}已重新打开，客服会跟进。' },
  },
  escalated: {
    en: { subject: 'Urgent: your account is being secured [{{ticketToken}}]', text: 'Ticket #{{ticketNumber}} is with our security team as a priority. Never share OTP codes with anyone.', sms: 'Ticket #{{ticketNumber}}: our security team is on it now. Never share your OTP.' },
    id: { subject: 'Penting: akun Anda sedang diamankan [{{ticketToken}}]', text: 'Tiket #{{ticketNumber}} ditangani tim keamanan kami sebagai prioritas. Jangan pernah berikan kode OTP kepada siapa pun.', sms: 'Tiket #{{ticketNumber}}: tim keamanan menangani sekarang. Jangan berikan OTP.' },
    zh: { subject: '紧急：正在保护您的账户 [{{ticketToken}}]', text: '工单 #{{ticketNumber}} 已由安全团队优先处理。请勿向任何人透露验证码。', sms: '工单#{{ticketNumber}}：安全团队正在处理，勿透露验证码。' },
  },
  // Sent once, only when no agent was free: the customer learns where they stand instead of wondering.
  queue_update: {
    en: { subject: 'Your place in the queue [{{ticketToken}}]', text: 'All our agents are busy. Ticket #{{ticketNumber}}: {{queueLine}} We will reply here.', sms: 'Ticket #{{ticketNumber}}: {{queueLine}}' },
    id: { subject: 'Posisi antrean Anda [{{ticketToken}}]', text: 'Semua agen kami sedang sibuk. Tiket #{{ticketNumber}}: {{queueLine}} Kami akan membalas di sini.', sms: 'Tiket #{{ticketNumber}}: {{queueLine}}' },
    zh: { subject: '您的排队位置 [{{ticketToken}}]', text: '我们的客服目前都在忙。工单 #{{ticketNumber}}：{{queueLine}}我们会在这里回复您。', sms: '工单#{{ticketNumber}}：{{queueLine}}' },
  },
  // After a survey answer, once per ticket (the first answer is the one recorded).
  survey_thanks: {
    en: { subject: 'Thank you for your feedback [{{ticketToken}}]', text: 'Thank you for rating ticket #{{ticketNumber}}. {{surveyFollowUp}}', sms: 'Thanks for rating ticket #{{ticketNumber}}. {{surveyFollowUp}}' },
    id: { subject: 'Terima kasih atas penilaian Anda [{{ticketToken}}]', text: 'Terima kasih telah menilai tiket #{{ticketNumber}}. {{surveyFollowUp}}', sms: 'Terima kasih atas nilai untuk tiket #{{ticketNumber}}. {{surveyFollowUp}}' },
    zh: { subject: '感谢您的评价 [{{ticketToken}}]', text: '感谢您为工单 #{{ticketNumber}} 评分。{{surveyFollowUp}}', sms: '感谢您为工单#{{ticketNumber}}评分。{{surveyFollowUp}}' },
  },
};
