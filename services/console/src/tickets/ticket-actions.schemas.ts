import { z } from 'zod';
import { CATEGORIES } from '@switchboard/contracts';

const text = z.string().trim().min(1).max(10_000);
const empty = z.object({}).strict();

export const rejectSchema = z.object({ reason: z.string().trim().max(500).optional() }).strict();
export const replySchema = z.object({ text }).strict();
export const noteSchema = z.object({ text }).strict();
export const emptySchema = empty;
export const transferSchema = z
  .object({
    to: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('agent'), agentId: z.string().min(1).max(200) }).strict(),
      z.object({ kind: z.literal('queue'), queue: z.string().min(1).max(100), priority: z.number().int().min(-1000).max(1000).optional() }).strict(),
      z.object({ kind: z.literal('workflow') }).strict(),
    ]),
  })
  .strict();
export const categorySchema = z.object({ category: z.enum(CATEGORIES) }).strict();
export const ticketIdSchema = z.string().min(1).max(200);
