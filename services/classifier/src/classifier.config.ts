import { z } from 'zod';
import { infraEnvSchema, portSetting } from '@switchboard/service-kit';

const threshold = z.coerce.number().min(0).max(1);

/** `en=0.8,id=0.9`: thresholds for some languages; the others keep the model's. */
const perLanguage = z
  .string()
  .transform((value, ctx) => {
    const out: Partial<Record<'en' | 'id' | 'zh', number>> = {};
    for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
      const m = /^(en|id|zh)\s*=\s*([0-9.]+)$/.exec(part);
      const t = m ? threshold.safeParse(m[2]) : undefined;
      if (!m || !t?.success) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected language=threshold (en, id or zh; 0..1), got '${part}'` });
        return z.NEVER;
      }
      out[m[1] as 'en' | 'id' | 'zh'] = t.data;
    }
    return out;
  });

export const classifierEnvSchema = infraEnvSchema.extend({
  HEALTH_PORT: portSetting(3010),
  /** One triage threshold for every language; unset means the model's evaluated thresholds, one per language. */
  TRIAGE_THRESHOLD: threshold.optional(),
  /** Thresholds for some languages (`id=0.9,zh=0.93`), over the model's and over TRIAGE_THRESHOLD. */
  TRIAGE_THRESHOLDS: perLanguage.optional(),
});
export type ClassifierEnv = z.infer<typeof classifierEnvSchema>;
