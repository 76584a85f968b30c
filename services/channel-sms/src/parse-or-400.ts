import { BadRequestException } from '@nestjs/common';
import { z, ZodTypeAny } from 'zod';

/** A 400 that names every field Twilio (or whoever posted) got wrong. */
export function parseOr400<S extends ZodTypeAny>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: `${what} does not match what Twilio sends`,
    problems: result.error.issues.map((i) => ({ path: i.path.join('.') || '(all)', message: i.message })),
  });
}
