import { DeliveryReceipt } from '@switchboard/contracts';
import { isFinalDelivery } from '../delivery/delivery-check';
import { deliveryStatusOfTwilio, smsReceipt } from './sms-delivery';

/** What Twilio's `GET /Messages/{Sid}` says of a message, as the SDK gives it. */
export interface TwilioMessageState {
  sid: string;
  status: string;
  errorCode?: number | null;
  errorMessage?: string | null;
}

export type StatusCheckOutcome =
  /** Publish it: the receipt a status callback would have made, under the same event id. */
  | { kind: 'receipt'; receipt: DeliveryReceipt }
  /** Twilio is not done (or says something we have no receipt for): nothing to report yet. */
  | { kind: 'not-final'; twilioStatus: string };

/**
 * The receipt a status check makes of Twilio's answer. Only a final status becomes one: a late
 * callback and a check then record the same event id once, and a `sent` already stored is not
 * worth a write. The error text matches the callback's, so both read alike to agents.
 */
export function receiptOfTwilioMessage(notificationId: string, message: TwilioMessageState, at: Date): StatusCheckOutcome {
  const status = deliveryStatusOfTwilio(message.status);
  if (!status || !isFinalDelivery(status)) return { kind: 'not-final', twilioStatus: message.status };
  const code = message.errorCode ? String(message.errorCode) : undefined;
  const error = !code && status === 'delivered' ? undefined : { ...(code ? { code } : {}), message: `Twilio reported ${message.status}${code ? ` (error ${code})` : ''}` };
  return { kind: 'receipt', receipt: smsReceipt({ notificationId, status, providerMessageId: message.sid, ...(error ? { error } : {}), at }) };
}
