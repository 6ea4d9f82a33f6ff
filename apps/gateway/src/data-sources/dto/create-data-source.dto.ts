import { DATA_SOURCE_KINDS } from '@assemblr/shared';
import { z } from 'zod';
import { nameSchema } from '../../common/input-validation.util';

/** `POST /api/data-sources`; `config` is validated per kind afterwards (data-source-config.util.ts). */
export const createDataSourceSchema = z.strictObject({
  name: nameSchema,
  kind: z.enum(DATA_SOURCE_KINDS, { error: `must be one of ${DATA_SOURCE_KINDS.join(', ')}` }),
  config: z.unknown().optional(),
});
export type CreateDataSourceDto = z.infer<typeof createDataSourceSchema>;
