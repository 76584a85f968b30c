import { z, ZodTypeAny } from 'zod';

export type JsonSchema = Record<string, unknown>;

/**
 * The subset of zod the console's request schemas use, as OpenAPI 3.0 schemas: one definition of
 * each request, so the document cannot drift from what the API validates.
 */
export function toJsonSchema(schema: ZodTypeAny): JsonSchema {
  const def = schema._def as { typeName: z.ZodFirstPartyTypeKind; description?: string };
  const described = (s: JsonSchema): JsonSchema => (def.description ? { ...s, description: def.description } : s);
  if (schema instanceof z.ZodString) {
    const out: JsonSchema = { type: 'string' };
    for (const check of schema._def.checks) {
      if (check.kind === 'min') out.minLength = check.value;
      if (check.kind === 'max') out.maxLength = check.value;
      if (check.kind === 'email') out.format = 'email';
      if (check.kind === 'datetime') out.format = 'date-time';
      if (check.kind === 'url') out.format = 'uri';
      if (check.kind === 'regex') out.pattern = check.regex.source;
    }
    return described(out);
  }
  if (schema instanceof z.ZodNumber) {
    const out: JsonSchema = { type: schema._def.checks.some((c) => c.kind === 'int') ? 'integer' : 'number' };
    for (const check of schema._def.checks) {
      if (check.kind === 'min') out.minimum = check.value;
      if (check.kind === 'max') out.maximum = check.value;
    }
    return described(out);
  }
  if (schema instanceof z.ZodBoolean) return described({ type: 'boolean' });
  if (schema instanceof z.ZodEnum) return described({ type: 'string', enum: [...schema._def.values] });
  if (schema instanceof z.ZodLiteral) return described({ type: typeof schema._def.value, enum: [schema._def.value] });
  if (schema instanceof z.ZodArray) {
    const out: JsonSchema = { type: 'array', items: toJsonSchema(schema._def.type) };
    if (schema._def.minLength) out.minItems = schema._def.minLength.value;
    if (schema._def.maxLength) out.maxItems = schema._def.maxLength.value;
    return described(out);
  }
  if (schema instanceof z.ZodRecord) return described({ type: 'object', additionalProperties: toJsonSchema(schema._def.valueType) });
  if (schema instanceof z.ZodObject) {
    const shape = schema.shape as Record<string, ZodTypeAny>;
    const required = Object.entries(shape)
      .filter(([, s]) => !s.isOptional())
      .map(([k]) => k);
    return described({
      type: 'object',
      properties: Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, toJsonSchema(s)])),
      ...(required.length ? { required } : {}),
      additionalProperties: schema._def.unknownKeys === 'passthrough',
    });
  }
  if (schema instanceof z.ZodDiscriminatedUnion || schema instanceof z.ZodUnion) {
    const options = (schema instanceof z.ZodDiscriminatedUnion ? [...schema.options] : schema._def.options) as ZodTypeAny[];
    return described({ oneOf: options.map(toJsonSchema) });
  }
  if (schema instanceof z.ZodOptional) return toJsonSchema(schema._def.innerType);
  if (schema instanceof z.ZodNullable) return { ...toJsonSchema(schema._def.innerType), nullable: true };
  if (schema instanceof z.ZodDefault) return { ...toJsonSchema(schema._def.innerType), default: schema._def.defaultValue() };
  if (schema instanceof z.ZodEffects) return toJsonSchema(schema._def.schema);
  if (schema instanceof z.ZodPipeline) return toJsonSchema(schema._def.in);
  return described({});
}

/** Query parameters of an object schema, for an OpenAPI operation. */
export function queryParameters(schema: z.AnyZodObject): JsonSchema[] {
  return Object.entries(schema.shape as Record<string, ZodTypeAny>).map(([name, s]) => ({ name, in: 'query', required: !s.isOptional(), schema: toJsonSchema(s) }));
}
