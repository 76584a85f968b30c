import { z } from 'zod';
import { queryParameters, toJsonSchema } from './zod-json-schema';

describe('toJsonSchema', () => {
  it('describes a strict object with required and optional fields, limits and enums', () => {
    const schema = z.object({ email: z.string().email().max(320), role: z.enum(['agent', 'admin']).optional(), n: z.number().int().min(1).default(3) }).strict();
    expect(toJsonSchema(schema)).toEqual({
      type: 'object',
      properties: {
        email: { type: 'string', format: 'email', maxLength: 320 },
        role: { type: 'string', enum: ['agent', 'admin'] },
        n: { type: 'integer', minimum: 1, default: 3 },
      },
      required: ['email'],
      additionalProperties: false,
    });
  });

  it('turns a discriminated union into oneOf with literal discriminators', () => {
    const schema = z.discriminatedUnion('kind', [z.object({ kind: z.literal('agent'), agentId: z.string() }).strict(), z.object({ kind: z.literal('workflow') }).strict()]);
    const json = toJsonSchema(schema) as { oneOf: { properties: { kind: unknown } }[] };
    expect(json.oneOf).toHaveLength(2);
    expect(json.oneOf[0].properties.kind).toEqual({ type: 'string', enum: ['agent'] });
  });

  it('lists query parameters with whether each is required', () => {
    const params = queryParameters(z.object({ page: z.coerce.number().int().default(1), q: z.string().optional(), must: z.string() }));
    expect(params.map((p) => [p.name, p.required])).toEqual([
      ['page', false],
      ['q', false],
      ['must', true],
    ]);
  });
});
