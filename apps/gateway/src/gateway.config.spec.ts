import { ConfigError } from '@assemblr/shared';
import { loadGatewayConfig } from './gateway.config';

describe('loadGatewayConfig', () => {
  it('applies the documented defaults and generates a token outside production', () => {
    const config = loadGatewayConfig({});
    expect(config).toMatchObject({ PORT: 3000, DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/assemblr', NATS_URL: 'nats://127.0.0.1:4222', tokenGenerated: true });
    expect(config.ASSEMBLR_API_TOKEN.length).toBeGreaterThanOrEqual(16);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('lists every bad key at once', () => {
    let error: unknown;
    try {
      loadGatewayConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', NATS_URL: 'http://x', LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const keys = (error as ConfigError).problems.map((p) => p.key).sort();
    expect(keys).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'NATS_URL', 'PORT']);
    expect((error as ConfigError).message).toMatch(/PORT: must be a number/);
  });

  it('requires the API token in production', () => {
    expect(() => loadGatewayConfig({ NODE_ENV: 'production' })).toThrow(/ASSEMBLR_API_TOKEN: is required when NODE_ENV=production/);
    expect(loadGatewayConfig({ NODE_ENV: 'production', ASSEMBLR_API_TOKEN: 'x'.repeat(32) }).tokenGenerated).toBe(false);
  });
});

describe('loadGatewayConfig secrets', () => {
  it('accepts any non-empty token and cron secret (length is advised, not enforced)', () => {
    const config = loadGatewayConfig({ ASSEMBLR_API_TOKEN: 'short', CRON_SECRET: 'cron' });
    expect(config).toMatchObject({ ASSEMBLR_API_TOKEN: 'short', CRON_SECRET: 'cron', tokenGenerated: false });
  });
});
