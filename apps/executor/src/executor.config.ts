import { commonEnvShape, loadConfig } from '@assemblr/shared';
import { z } from 'zod';

export const executorEnvSchema = z.object({
  ...commonEnvShape,
});

export type ExecutorConfig = Readonly<z.infer<typeof executorEnvSchema>>;

export function loadExecutorConfig(env: NodeJS.ProcessEnv = process.env): ExecutorConfig {
  return loadConfig('executor', executorEnvSchema, env);
}
