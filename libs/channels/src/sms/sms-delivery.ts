import { deterministicId, DeliveryReceipt, DeliveryStatus } from '@switchboard/contracts';

/**
 * Twilio's message statuses as our delivery statuses. `read` comes from channels with read
 * receipts; `received`/`receiving` describe inbound messages and have no receipt.
 */
const STATUS: Record<string, DeliveryStatus> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'sent',
  sent: 'sent',
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
  canceled: 'failed',
};

export function deliveryStatusOfTwilio(status: string): DeliveryStatus | undefined {
  return Object.prototype.hasOwnProperty.call(STATUS, status) ? STATUS[status] : undefined;
}

/** Our own code for a number that texted STOP: no provider call was made. */
export const OPTED_OUT_CODE = 'opted_out';
/** Twilio's code for "Attempt to send to unsubscribed recipient" (the carrier or Twilio holds a STOP). */
export const TWILIO_UNSUBSCRIBED_CODE = 21610;

export interface SmsReceiptInput {
  notificationId: string;
  status: DeliveryStatus;
  providerMessageId?: string;
  error?: { code?: string; message: string };
  at: Date;
}

/** One receipt per notification and status: the same status reported twice is the same event. */
export function smsReceipt(input: SmsReceiptInput): DeliveryReceipt {
  return {
    schemaVersion: 1,
    eventId: deterministicId('delivery', input.notificationId, input.status),
    notificationId: input.notificationId,
    channel: 'sms',
    status: input.status,
    ...(input.providerMessageId ? { providerMessageId: input.providerMessageId } : {}),
    ...(input.error ? { error: { ...(input.error.code ? { code: input.error.code } : {}), message: input.error.message.slice(0, 2_000) } } : {}),
    occurredAt: input.at.toISOString(),
  };
}

export type SendFailure =
  /** Nothing was accepted and Twilio may take it later: the consumer retries with backoff, then dead-letters. */
  | { kind: 'retry' }
  /** Twilio refused this message for good: report it so the notifier can try another channel. */
  | { kind: 'refused'; code: string; optedOut: boolean }
  /** The call may have reached Twilio (timeout, connection cut mid-answer): sending again could text twice. */
  | { kind: 'unknown' };

/** Errors raised before a request left this machine or reached Twilio: nothing was sent. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID']);

/**
 * Twilio answers a refused message with an HTTP status and its own error code (429 and 5xx ask
 * to come back later). Without an answer, the network error says whether the request got out.
 */
export function classifySendFailure(failure: { httpStatus?: number; twilioCode?: number; networkCode?: string }): SendFailure {
  const { httpStatus, twilioCode, networkCode } = failure;
  if (httpStatus === undefined) return networkCode && NOT_SENT.has(networkCode) ? { kind: 'retry' } : { kind: 'unknown' };
  if (httpStatus === 429 || httpStatus >= 500) return { kind: 'retry' };
  return { kind: 'refused', code: String(twilioCode ?? httpStatus), optedOut: twilioCode === TWILIO_UNSUBSCRIBED_CODE };
}
