import { BatchItem, BatchOutcome } from '@switchboard/messaging';

/**
 * A batch's customers side by side, each one's messages in order. A message that fails holds back
 * the same customer's later ones (all retried after it, in order), and once the service is
 * stopping a customer's next message is not started: it is left for redelivery.
 */
export async function sendPerContact(
  items: readonly BatchItem<'outbound.social'>[],
  send: (item: BatchItem<'outbound.social'>) => Promise<void>,
  stopping: AbortSignal,
): Promise<BatchOutcome<'outbound.social'>> {
  const byContact = new Map<string, BatchItem<'outbound.social'>[]>();
  for (const item of items) byContact.set(item.event.contactKey, [...(byContact.get(item.event.contactKey) ?? []), item]);
  const failed: BatchOutcome<'outbound.social'>['failed'] = [];
  await Promise.all(
    [...byContact.values()].map(async (mine) => {
      for (const [n, item] of mine.entries()) {
        if (stopping.aborted) {
          failed.push(...mine.slice(n).map((rest) => ({ item: rest, error: new Error('not sent: the service is stopping') })));
          return;
        }
        try {
          await send(item);
        } catch (error) {
          failed.push(...mine.slice(n).map((rest) => ({ item: rest, error })));
          return;
        }
      }
    }),
  );
  return { failed };
}
