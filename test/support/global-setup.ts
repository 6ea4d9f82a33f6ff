import { randomBytes } from 'node:crypto';
import { runMigrations } from '../../libs/shared/src/database/database-options';
import { databaseUrl } from './database';

/** One template database per test run, migrated once; each test file clones it (see createTestDatabase). */
export default async function globalSetup(): Promise<void> {
  const run = `assemblr_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  process.env.ASSEMBLR_TEST_RUN = run;
  const template = `${run}_tpl`;
  await runMigrations(databaseUrl(template));
}
