/** Everything the notifier can tell a customer; each is a template per language and channel form. */
export const MESSAGE_KINDS = ['received', 'need_details', 'assigned', 'agent_reply', 'waiting_for_customer', 'resolved', 'reopened', 'escalated', 'queue_update', 'survey_thanks'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/**
 * The variables each kind may use, and those it must: an operator's edit that drops the ticket
 * number from *received* or invents `{{agent}}` is refused with the list of what is allowed.
 */
export const TEMPLATE_VARIABLES: Record<MessageKind, { required: readonly string[]; optional: readonly string[] }> = {
  received: { required: ['ticketNumber'], optional: ['ticketToken', 'category', 'selfHelp', 'queueLine'] },
  need_details: { required: ['ticketNumber', 'missing'], optional: ['ticketToken', 'category'] },
  assigned: { required: ['ticketNumber', 'agentName'], optional: ['ticketToken', 'category'] },
  agent_reply: { required: ['replyText'], optional: ['ticketNumber', 'ticketToken', 'agentName'] },
  waiting_for_customer: { required: ['ticketNumber'], optional: ['ticketToken', 'agentName'] },
  resolved: { required: ['ticketNumber'], optional: ['ticketToken', 'category', 'surveyQuestion'] },
  reopened: { required: ['ticketNumber'], optional: ['ticketToken', 'category'] },
  escalated: { required: ['ticketNumber'], optional: ['ticketToken', 'category'] },
  queue_update: { required: ['ticketNumber', 'queueLine'], optional: ['ticketToken', 'category'] },
  survey_thanks: { required: ['ticketNumber'], optional: ['ticketToken', 'surveyScore', 'surveyFollowUp'] },
};

/** One message in its three forms: email gets the subject (and HTML made from `text`), SMS the short form. */
export interface TemplateText {
  subject: string;
  text: string;
  sms: string;
}
