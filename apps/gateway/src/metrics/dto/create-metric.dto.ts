import { z } from 'zod';
import { nameSchema, uuidSchema } from '../../common/input-validation.util';

export const descriptionSchema = z.string({ error: 'must be a string' }).max(2000, 'must be at most 2000 characters');
export const tagsSchema = z
  .array(z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'), { error: 'must be an array of strings' })
  .max(50, 'at most 50 tags');

/** `POST /api/metrics`; `definition` is checked against the data source's kind, `executionPolicy` by parseExecutionPolicy. */
export const createMetricSchema = z.strictObject({
  name: nameSchema,
  description: descriptionSchema.optional(),
  tags: tagsSchema.optional(),
  dataSourceId: uuidSchema,
  definition: z.unknown(),
  executionPolicy: z.unknown().optional(),
});
export type CreateMetricDto = z.infer<typeof createMetricSchema>;
