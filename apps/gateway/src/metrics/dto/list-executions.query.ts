import { z } from 'zod';

/** `GET /api/metrics/:id/executions?limit=N`. */
export const listExecutionsQuerySchema = z.object({
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be ≥ 1')
    .max(1000, 'must be ≤ 1000')
    .default(20),
});
