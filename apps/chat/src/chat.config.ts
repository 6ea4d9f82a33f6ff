import { commonEnvShape, loadConfig } from '@assemblr/shared';
import { z } from 'zod';

export const chatEnvSchema = z.object({
  ...commonEnvShape,
});

export type ChatConfig = Readonly<z.infer<typeof chatEnvSchema>>;

export function loadChatConfig(env: NodeJS.ProcessEnv = process.env): ChatConfig {
  return loadConfig('chat', chatEnvSchema, env);
}
