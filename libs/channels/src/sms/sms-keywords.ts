/**
 * The carrier-standard control words (CTIA; what Twilio's Advanced Opt-Out also honours). A
 * message that is only one of them, in any case and with surrounding spaces, is a request to the
 * sender, not a support question: it changes the contact's opt-out state and opens no ticket.
 */
export type SmsKeyword = 'stop' | 'start' | 'help';

export const OPT_OUT_KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'] as const;
export const OPT_IN_KEYWORDS = ['START', 'UNSTOP'] as const;
export const HELP_KEYWORDS = ['HELP'] as const;

// Without the `u` flag, `i` folds ASCII only: "quıt" (dotless ı) is not QUIT, as on the carriers.
const whole = (words: readonly string[]) => new RegExp(`^(?:${words.join('|')})$`, 'i');
const RULES: [RegExp, SmsKeyword][] = [
  [whole(OPT_OUT_KEYWORDS), 'stop'],
  [whole(OPT_IN_KEYWORDS), 'start'],
  [whole(HELP_KEYWORDS), 'help'],
];

/** `OptOutType` is what Twilio itself recognised (Advanced Opt-Out); it wins when present. */
export function smsKeyword(body: string, optOutType?: string): SmsKeyword | null {
  const reported = optOutType?.toLowerCase();
  if (reported === 'stop' || reported === 'start' || reported === 'help') return reported;
  const trimmed = body.trim();
  for (const [pattern, keyword] of RULES) if (pattern.test(trimmed)) return keyword;
  return null;
}

