/**
 * How the channels consume `outbound.<channel>`: each partition in parallel (one customer's
 * messages, keyed by contact, stay in order), and without the processed-event store. Sends are
 * claimed by notification id under a unique `_id` before the provider is called, so a redelivered
 * notification is recognised by that claim and only its receipt is repeated; the store's extra
 * lookup and write per message bought nothing but load on the database.
 */
export const OUTBOUND_CONSUMING = { processed: undefined, partitionsConsumedConcurrently: 16 } as const;
