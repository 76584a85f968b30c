import { BatchItem } from '@switchboard/messaging';
import { OutboundMessage } from '@switchboard/contracts';
import { sendPerContact } from './send-per-contact';

const item = (contact: string, n: number): BatchItem<'outbound.social'> => ({
  event: { notificationId: `${contact}-${n}`, contactKey: `whatsapp::${contact}` } as OutboundMessage,
  context: { topic: 'outbound.social', partition: 0, offset: String(n), key: `whatsapp::${contact}`, attempt: 1 },
});

describe('sendPerContact', () => {
  it('sends each customer’s messages in order, and holds back a customer’s later messages behind a failure', async () => {
    const sent: string[] = [];
    const items = [item('a', 1), item('b', 2), item('a', 3), item('b', 4), item('a', 5)];
    const outcome = await sendPerContact(
      items,
      async ({ event }) => {
        if (event.notificationId === 'a-3') throw new Error('Graph API busy');
        sent.push(event.notificationId);
      },
      new AbortController().signal,
    );
    expect(sent).toEqual(['a-1', 'b-2', 'b-4']);
    expect(outcome.failed.map((f) => f.item.event.notificationId)).toEqual(['a-3', 'a-5']);
  });

  it('starts nothing once the service is stopping, finishing what is under way', async () => {
    const stop = new AbortController();
    const sent: string[] = [];
    const outcome = await sendPerContact(
      [item('a', 1), item('a', 2), item('b', 3)],
      async ({ event }) => {
        sent.push(event.notificationId);
        // The stop comes while both customers' first messages are with the provider.
        await new Promise((resolve) => setImmediate(resolve));
        stop.abort();
      },
      stop.signal,
    );
    expect(sent).toEqual(['a-1', 'b-3']);
    expect(outcome.failed.map((f) => [f.item.event.notificationId, String(f.error)])).toEqual([['a-2', 'Error: not sent: the service is stopping']]);
  });
});
