import { z } from 'zod';

export const CATEGORIES = ['login', 'transaction_failed', 'account_security', 'refund', 'other'] as const;
export const categorySchema = z.enum(CATEGORIES);
export type Category = z.infer<typeof categorySchema>;

export const LANGUAGES = ['en', 'id', 'zh', 'und'] as const;
export const languageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof languageSchema>;

export const amountSchema = z.object({
  value: z.number().nonnegative(),
  currency: z.string().length(3),
  text: z.string(),
});

export const entitiesSchema = z
  .object({
    amounts: z.array(amountSchema).default([]),
    transactionIds: z.array(z.string()).default([]),
    incidentTime: z.string().datetime({ offset: true }).optional(),
    incidentTimeText: z.string().optional(),
    merchants: z.array(z.string()).default([]),
    maskedDigits: z.array(z.string()).default([]),
  })
  .strict();
export type Entities = z.infer<typeof entitiesSchema>;

export const URGENCY_FLAGS = ['takeover_in_progress', 'stolen_device', 'money_lost'] as const;
export const urgencyFlagSchema = z.enum(URGENCY_FLAGS);
export type UrgencyFlag = z.infer<typeof urgencyFlagSchema>;

export const classificationSchema = z
  .object({
    category: categorySchema,
    confidence: z.number().min(0).max(1),
    scores: z.record(categorySchema, z.number().min(0).max(1)),
    language: languageSchema,
    entities: entitiesSchema,
    urgency: z.array(urgencyFlagSchema).default([]),
    /** The few features or rules that drove the decision, for agents to read. */
    explanation: z.array(z.string()).max(20).default([]),
    modelVersion: z.string().min(1),
  })
  .strict();
export type Classification = z.infer<typeof classificationSchema>;
