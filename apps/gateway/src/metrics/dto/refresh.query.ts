import { z } from 'zod';

/** `POST /api/metrics/:id/refresh?wait=true`. */
export const refreshQuerySchema = z.object({
  wait: z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .optional()
    .transform((v) => v === 'true' || v === '1'),
});
