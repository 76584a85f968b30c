import { Category, Channel, Language, ticketTokenOf } from '@switchboard/contracts';
import { smsEncoding } from '@switchboard/channels';
import { DEFAULT_TEMPLATES } from './default-templates';
import { MessageKind, TEMPLATE_VARIABLES, TemplateText } from './message-kinds';
import { MissingDetail, ReplyLanguage, SNIPPETS } from './snippets';

/** How a channel shows a message: email has a subject and HTML, SMS is short, the rest is chat text. */
export type MessageForm = 'email' | 'sms' | 'chat';

export function formOf(channel: Channel): MessageForm {
  return channel === 'email' ? 'email' : channel === 'sms' ? 'sms' : 'chat';
}

/** Templates an operator changed, by kind and language; the rest come from DEFAULT_TEMPLATES. */
export type TemplateOverrides = Partial<Record<MessageKind, Partial<Record<ReplyLanguage, TemplateText>>>>;

export interface MessageVars {
  ticketNumber?: number;
  category?: Category;
  queuePosition?: number;
  expectedWaitSeconds?: number;
  missing?: readonly MissingDetail[];
  agentName?: string;
  replyText?: string;
  /** The customer's survey answer, 1-5. */
  surveyScore?: number;
}

export interface RenderedMessage {
  text: string;
  subject?: string;
  html?: string;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

export function replyLanguage(language: Language): ReplyLanguage {
  return language === 'und' ? 'en' : language;
}

export function renderMessage(
  kind: MessageKind,
  language: Language,
  channel: Channel,
  vars: MessageVars,
  overrides: TemplateOverrides = {},
): RenderedMessage {
  const lang = replyLanguage(language);
  const form = formOf(channel);
  const template = overrides[kind]?.[lang] ?? DEFAULT_TEMPLATES[kind][lang];
  const values = variableValues(lang, form, vars);
  const text = fill(form === 'sms' ? template.sms : template.text, values);
  if (form !== 'email') return { text };
  return { text, subject: fill(template.subject, values), html: toHtml(text) };
}

/** What an operator's template is wrong about, in words; empty when it may be saved. */
export function validateTemplate(kind: MessageKind, template: TemplateText): string[] {
  const { required, optional } = TEMPLATE_VARIABLES[kind];
  const allowed = new Set([...required, ...optional]);
  const problems: string[] = [];
  for (const form of ['subject', 'text', 'sms'] as const) {
    const source: unknown = template[form];
    if (typeof source !== 'string' || source.trim() === '') {
      problems.push(`${form}: must not be empty`);
      continue;
    }
    const stray = source.replace(PLACEHOLDER, '');
    if (stray.includes('{{') || stray.includes('}}')) problems.push(`${form}: unbalanced {{ }}`);
    const used = [...source.matchAll(PLACEHOLDER)].map((m) => m[1]);
    for (const name of used) if (!allowed.has(name)) problems.push(`${form}: unknown variable {{${name}}}; ${kind} may use ${[...allowed].map((v) => `{{${v}}}`).join(', ')}`);
    if (form !== 'subject') for (const name of required) if (!used.includes(name)) problems.push(`${form}: must contain {{${name}}}`);
  }
  if (problems.length === 0) {
    for (const lang of Object.keys(SNIPPETS) as ReplyLanguage[]) {
      const sample = fill(template.sms, variableValues(lang, 'sms', SAMPLE_VARS));
      const segments = smsEncoding(sample).segments;
      if (segments > 2) problems.push(`sms: ${segments} segments with typical values in ${lang}; keep it within 2`);
    }
  }
  return problems;
}

/** Typical values, long-ish, to measure SMS forms against. */
export const SAMPLE_VARS: MessageVars = {
  ticketNumber: 123456,
  category: 'transaction_failed',
  queuePosition: 12,
  expectedWaitSeconds: 900,
  missing: ['time', 'amount', 'merchant'],
  agentName: 'Putri Andriani',
  replyText: 'Your refund was approved.',
  surveyScore: 1,
};

function variableValues(lang: ReplyLanguage, form: MessageForm, vars: MessageVars): Record<string, string> {
  const s = SNIPPETS[lang];
  const queue = [
    vars.queuePosition !== undefined ? s.queuePosition(vars.queuePosition) : '',
    vars.expectedWaitSeconds !== undefined ? s.expectedWait(Math.max(1, Math.round(vars.expectedWaitSeconds / 60))) : '',
  ];
  return {
    ticketNumber: vars.ticketNumber !== undefined ? String(vars.ticketNumber) : '',
    ticketToken: vars.ticketNumber !== undefined ? ticketTokenOf(vars.ticketNumber) : '',
    category: vars.category ? s.category[vars.category] : '',
    selfHelp: vars.category ? (form === 'sms' ? s.selfHelpShort : s.selfHelp)[vars.category] : '',
    queueLine: queue.filter(Boolean).join(lang === 'zh' ? '' : ' '),
    missing: s.list((vars.missing ?? []).map((m) => s.missing[m])),
    agentName: vars.agentName ?? '',
    replyText: vars.replyText ?? '',
    surveyQuestion: s.survey,
    surveyScore: vars.surveyScore !== undefined ? String(vars.surveyScore) : '',
    surveyFollowUp: surveyFollowUp(s, form, vars.surveyScore),
  };
}

function surveyFollowUp(s: (typeof SNIPPETS)[ReplyLanguage], form: MessageForm, score: number | undefined): string {
  if (score === undefined || score === 3) return '';
  if (score <= 2) return form === 'sms' ? s.surveyLowShort : s.surveyLow;
  return s.surveyHigh;
}

function fill(source: string, values: Record<string, string>): string {
  return source
    .replace(PLACEHOLDER, (_, name: string) => values[name] ?? '')
    .split('\n')
    .map((line) => line.replace(/[ \t]{2,}/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/\(\s*\)|（\s*）/g, '')
    .trim();
}

function toHtml(text: string): string {
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return text
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escape(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}
