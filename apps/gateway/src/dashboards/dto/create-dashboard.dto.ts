import { z } from 'zod';
import { nameSchema, uuidSchema } from '../../common/input-validation.util';

export const metricIdsSchema = z
  .array(uuidSchema, { error: 'must be an array of metric ids' })
  .max(200, 'at most 200 metrics per dashboard')
  .superRefine((ids, ctx) => {
    const seen = new Set<string>();
    ids.forEach((id, index) => {
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [index], message: `metric ${id} is listed twice` });
      seen.add(id);
    });
  });

/** `POST /api/dashboards`. */
export const createDashboardSchema = z.strictObject({
  name: nameSchema,
  metricIds: metricIdsSchema,
});
export type CreateDashboardDto = z.infer<typeof createDashboardSchema>;
