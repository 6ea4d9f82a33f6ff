import { ConfigError } from '@assemblr/shared';
import { loadChatConfig } from './chat.config';

describe('loadChatConfig', () => {
  it('has defaults and no language model unless configured', () => {
    const config = loadChatConfig({});
    expect(config).toMatchObject({ CHAT_RUN_WAIT_MS: 10_000, LLM_TIMEOUT_MS: 8_000, CHAT_CATALOG_REVALIDATE_MS: 2_000 });
    expect(config.LLM_BASE_URL).toBeUndefined();
  });

  it('takes a complete language model configuration', () => {
    const config = loadChatConfig({ LLM_BASE_URL: 'http://127.0.0.1:8080/v1', LLM_API_KEY: 'k', LLM_MODEL: 'm', LLM_TIMEOUT_MS: '500' });
    expect(config).toMatchObject({ LLM_BASE_URL: 'http://127.0.0.1:8080/v1', LLM_MODEL: 'm', LLM_TIMEOUT_MS: 500 });
  });

  it('names every missing or bad LLM key when the configuration is partial', () => {
    let error: unknown;
    try {
      loadChatConfig({ LLM_BASE_URL: 'ftp://x', LLM_API_KEY: 'secret-key' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.key).sort()).toEqual(['LLM_BASE_URL', 'LLM_MODEL']);
    expect((error as ConfigError).message).not.toContain('secret-key');
  });
});
