import { deterministicId } from '@switchboard/contracts';
import { receiptOfTwilioMessage } from './sms-status-check';
import { smsReceipt } from './sms-delivery';

const AT = new Date('2026-11-30T09:00:00.000Z');

describe('receiptOfTwilioMessage', () => {
  it('makes the receipt a callback makes, under the same event id', () => {
    const outcome = receiptOfTwilioMessage('n1', { sid: 'SM1', status: 'delivered', errorCode: null }, AT);
    expect(outcome).toEqual({ kind: 'receipt', receipt: smsReceipt({ notificationId: 'n1', status: 'delivered', providerMessageId: 'SM1', at: AT }) });
    if (outcome.kind === 'receipt') expect(outcome.receipt.eventId).toBe(deterministicId('delivery', 'n1', 'delivered'));
  });

  it('carries the carrier error of an undelivered or failed message', () => {
    expect(receiptOfTwilioMessage('n2', { sid: 'SM2', status: 'undelivered', errorCode: 30003 }, AT)).toMatchObject({
      kind: 'receipt',
      receipt: { status: 'undelivered', providerMessageId: 'SM2', error: { code: '30003', message: 'Twilio reported undelivered (error 30003)' } },
    });
    expect(receiptOfTwilioMessage('n3', { sid: 'SM3', status: 'canceled' }, AT)).toMatchObject({ kind: 'receipt', receipt: { status: 'failed', error: { message: 'Twilio reported canceled' } } });
  });

  it('reports nothing while Twilio is not done, or for a status without a receipt', () => {
    for (const status of ['accepted', 'queued', 'sending', 'sent', 'scheduled', 'receiving']) {
      expect(receiptOfTwilioMessage('n4', { sid: 'SM4', status }, AT)).toEqual({ kind: 'not-final', twilioStatus: status });
    }
  });
});
