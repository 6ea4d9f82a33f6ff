import { commonEnvShape, envInt, loadConfig } from '@assemblr/shared';
import { z } from 'zod';

const optionalText = z.string().trim().min(1).optional();

export const chatEnvSchema = z
  .object({
    ...commonEnvShape,
    /** How long a blocking answer waits for a run it requested (API.md: default 10 s). */
    CHAT_RUN_WAIT_MS: envInt(10_000, 1, 120_000),
    /** How old the cached metric catalogue may get before it is re-read from PostgreSQL. */
    CHAT_CATALOG_REVALIDATE_MS: envInt(2_000, 50, 600_000),
    /** How long to wait for the executor's `metrics.freshness` reply before assessing locally. */
    CHAT_FRESHNESS_TIMEOUT_MS: envInt(2_000, 1, 60_000),
    /** OpenAI-compatible endpoint (…/v1); the model is used only when all three LLM_* are set. */
    LLM_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    LLM_API_KEY: optionalText,
    LLM_MODEL: optionalText,
    LLM_TIMEOUT_MS: envInt(8_000, 1, 120_000),
  })
  .superRefine((env, ctx) => {
    const set = [env.LLM_BASE_URL, env.LLM_API_KEY, env.LLM_MODEL].filter((v) => v !== undefined).length;
    if (set === 0 || set === 3) return;
    for (const key of ['LLM_BASE_URL', 'LLM_API_KEY', 'LLM_MODEL'] as const) {
      if (env[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when any LLM_* variable is set' });
    }
  });

export type ChatConfig = Readonly<z.infer<typeof chatEnvSchema>>;

export function loadChatConfig(env: NodeJS.ProcessEnv = process.env): ChatConfig {
  return loadConfig('chat', chatEnvSchema, env);
}
