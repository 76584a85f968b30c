import { BadRequestException } from '@nestjs/common';
import { z, ZodTypeAny } from 'zod';

/** The 400 body naming every field Twilio (or whoever posted) got wrong. */
export interface BadRequestBody {
  statusCode: 400;
  error: 'Bad Request';
  message: string;
  problems: { path: string; message: string }[];
}

export type Parsed<S extends ZodTypeAny> = { ok: true; data: z.infer<S> } | { ok: false; body: BadRequestBody };

export function parseOrProblems<S extends ZodTypeAny>(schema: S, value: unknown, what: string): Parsed<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return { ok: true, data: result.data };
  return {
    ok: false,
    body: {
      statusCode: 400,
      error: 'Bad Request',
      message: `${what} does not match what Twilio sends`,
      problems: result.error.issues.map((i) => ({ path: i.path.join('.') || '(all)', message: i.message })),
    },
  };
}

/** A 400 that names every field Twilio (or whoever posted) got wrong. */
export function parseOr400<S extends ZodTypeAny>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = parseOrProblems(schema, value, what);
  if (parsed.ok) return parsed.data;
  throw new BadRequestException(parsed.body);
}
