import { dropRunDatabases } from './database';

export default async function globalTeardown(): Promise<void> {
  const run = process.env.ASSEMBLR_TEST_RUN;
  if (run) await dropRunDatabases(run);
}
