import { DATA_SOURCE_KINDS } from '@assemblr/shared';
import { z } from 'zod';
import { nameSchema } from '../../common/input-validation.util';

/** `PATCH /api/data-sources/:id`: `config` replaces the stored one (placeholders keep stored secrets); `kind` cannot change. */
export const updateDataSourceSchema = z.strictObject({
  name: nameSchema.optional(),
  kind: z.enum(DATA_SOURCE_KINDS, { error: `must be one of ${DATA_SOURCE_KINDS.join(', ')}` }).optional(),
  config: z.unknown().optional(),
});
export type UpdateDataSourceDto = z.infer<typeof updateDataSourceSchema>;
