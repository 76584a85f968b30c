/**
 * The reference a customer's reply carries back to its ticket: in an email subject (`[SB-1042]`),
 * a plus-address (`support+sb-1042@…`) or the Message-ID of a mail we sent (`<sb-1042.…@…>`).
 * It is only a hint: the router threads on it only when the ticket belongs to the same person.
 */
export function ticketTokenOf(ticketNumber: number): string {
  return `SB-${ticketNumber}`;
}

const TOKEN = /\bsb-(\d{1,12})\b/i;

/** The ticket number in a token found anywhere in `text`, or undefined. */
export function ticketNumberOfToken(text: string | undefined): number | undefined {
  const match = text ? TOKEN.exec(text) : null;
  if (!match) return undefined;
  const number = Number(match[1]);
  return Number.isSafeInteger(number) && number > 0 ? number : undefined;
}
