import { z } from 'zod';
import { nameSchema } from '../../common/input-validation.util';
import { metricIdsSchema } from './create-dashboard.dto';

/** `PATCH /api/dashboards/:id`: `metricIds` replaces the list (and its order). */
export const updateDashboardSchema = z.strictObject({
  name: nameSchema.optional(),
  metricIds: metricIdsSchema.optional(),
});
export type UpdateDashboardDto = z.infer<typeof updateDashboardSchema>;
