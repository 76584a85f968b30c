import type { Entities, Language } from '@switchboard/contracts';

export interface EntityContext {
  language: Language;
  receivedAt?: Date;
}

export function extractEntities(_text: string, _ctx: EntityContext): Entities {
  return { amounts: [], transactionIds: [], merchants: [], maskedDigits: [] };
}
