import { z } from 'zod';
import { nameSchema, uuidSchema } from '../../common/input-validation.util';
import { descriptionSchema, tagsSchema } from './create-metric.dto';

/** `PATCH /api/metrics/:id`: `definition` replaces the stored one; `executionPolicy` is merged onto the stored policy. */
export const updateMetricSchema = z.strictObject({
  name: nameSchema.optional(),
  description: descriptionSchema.optional(),
  tags: tagsSchema.optional(),
  dataSourceId: uuidSchema.optional(),
  definition: z.unknown().optional(),
  executionPolicy: z.unknown().optional(),
});
export type UpdateMetricDto = z.infer<typeof updateMetricSchema>;
