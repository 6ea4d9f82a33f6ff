import { z } from 'zod';

/** A zod schema as an OpenAPI (JSON Schema) object for @ApiBody / @ApiResponse. */
export function openApiSchema(schema: z.ZodType): Record<string, never> {
  const json = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
  delete json.$schema;
  return json as Record<string, never>;
}
