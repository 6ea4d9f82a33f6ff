// `npm run migration:run`: creates the database if it does not exist and applies pending migrations.
import { commonEnvSchema, ConfigError, createLogger, loadConfig, loadDotEnv, runMigrations } from '@assemblr/shared';

async function main(): Promise<void> {
  loadDotEnv();
  const logger = createLogger('migrate');
  const config = loadConfig('migrate', commonEnvSchema);
  const applied = await runMigrations(config.DATABASE_URL);
  logger.info({ applied }, applied.length ? `applied ${applied.length} migration(s)` : 'database is up to date');
}

main().catch((err: unknown) => {
  process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `migrate: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
