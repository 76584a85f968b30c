import { findOurMessageIds, ourMessageId, splitMessageIds, threadHintsOf } from './message-ids';

const NOTIFICATION = '3f2b8c1e-0d4a-5b6c-8d7e-9f0a1b2c3d4e';
const domains = ['example.com'];

describe('our Message-IDs and threading hints', () => {
  it('formats a Message-ID that carries the ticket and notification, and finds it again', () => {
    const id = ourMessageId(1042, NOTIFICATION, 'Example.com');
    expect(id).toBe(`<sb-1042.${NOTIFICATION}@example.com>`);
    expect(findOurMessageIds(`References: <abc@gmail.com> ${id}`, domains)).toEqual([{ ticketNumber: 1042, notificationId: NOTIFICATION }]);
    expect(findOurMessageIds(id, ['other.org'])).toEqual([]);
  });

  it('splits reference headers', () => {
    expect(splitMessageIds('<a@b.c>\r\n <d@e.f>')).toEqual(['<a@b.c>', '<d@e.f>']);
    expect(splitMessageIds('a@b.c')).toEqual(['<a@b.c>']);
    expect(splitMessageIds(undefined)).toEqual([]);
  });

  it('takes the ticket from a reply to one of our mails, and keeps the raw reply ids', () => {
    const ours = ourMessageId(1042, NOTIFICATION, 'example.com');
    expect(threadHintsOf({ recipients: ['support@example.com'], inReplyTo: [ours], references: ['<first@gmail.com>', ours] }, domains)).toEqual({
      ticketToken: 'SB-1042',
      replyTo: [ours, '<first@gmail.com>'],
    });
  });

  it('takes the ticket from a [SB-n] subject token or a plus-address', () => {
    expect(threadHintsOf({ subject: 'Re: We received your message [SB-77]', recipients: [], inReplyTo: [], references: [] }, domains)).toEqual({ ticketToken: 'SB-77' });
    expect(threadHintsOf({ recipients: ['support+sb-88@example.com'], inReplyTo: [], references: [] }, domains)).toEqual({ ticketToken: 'SB-88' });
    expect(threadHintsOf({ recipients: ['support+sb-88@elsewhere.org'], inReplyTo: [], references: [] }, domains)).toEqual({});
  });

  it('does not take a foreign Message-ID or a bare mention as a ticket', () => {
    expect(threadHintsOf({ subject: 'about sb-12 maybe', recipients: [], inReplyTo: [`<sb-5.${NOTIFICATION}@evil.org>`], references: [] }, domains)).toEqual({
      replyTo: [`<sb-5.${NOTIFICATION}@evil.org>`],
    });
  });
});
