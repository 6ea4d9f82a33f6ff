import { commonEnvShape, loadConfig } from '@assemblr/shared';
import { z } from 'zod';

export const schedulerEnvSchema = z.object({
  ...commonEnvShape,
});

export type SchedulerConfig = Readonly<z.infer<typeof schedulerEnvSchema>>;

export function loadSchedulerConfig(env: NodeJS.ProcessEnv = process.env): SchedulerConfig {
  return loadConfig('scheduler', schedulerEnvSchema, env);
}
