import { Module } from '@nestjs/common';
import { LOGGER, type Logger } from '@assemblr/shared';
import type { ChatConfig } from '../chat.config';
import { CHAT_CONFIG } from '../chat.tokens';
import { LANGUAGE_MODEL, type LanguageModel, NoLanguageModel } from './language-model';
import { OpenAiCompatibleModel } from './openai-compatible.model';

/** The model when LLM_BASE_URL, LLM_API_KEY and LLM_MODEL are all set; otherwise none. */
export function createLanguageModel(config: ChatConfig, logger: Logger): LanguageModel {
  const { LLM_BASE_URL, LLM_API_KEY, LLM_MODEL, LLM_TIMEOUT_MS } = config;
  if (!LLM_BASE_URL || !LLM_API_KEY || !LLM_MODEL) return new NoLanguageModel();
  // The origin only: a base URL may carry credentials, and the key is never logged.
  logger.info({ model: LLM_MODEL, endpoint: new URL(LLM_BASE_URL).origin, timeoutMs: LLM_TIMEOUT_MS }, 'language model enabled');
  return new OpenAiCompatibleModel({ baseUrl: LLM_BASE_URL, apiKey: LLM_API_KEY, model: LLM_MODEL, timeoutMs: LLM_TIMEOUT_MS }, logger.child({ component: 'llm' }));
}

@Module({
  providers: [{ provide: LANGUAGE_MODEL, useFactory: createLanguageModel, inject: [CHAT_CONFIG, LOGGER] }],
  exports: [LANGUAGE_MODEL],
})
export class LlmModule {}
