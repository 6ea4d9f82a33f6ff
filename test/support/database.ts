import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { openDataSource } from '../../libs/shared/src/database/database-options';

const BASE_URL = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name: string): string {
  const url = new URL(BASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export function adminUrl(): string {
  return databaseUrl('postgres');
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  dataSource: DataSource;
  /** Closes the data source and drops the database. */
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file, cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const run = process.env.ASSEMBLR_TEST_RUN;
  if (!run) throw new Error('ASSEMBLR_TEST_RUN is unset: run tests through jest (globalSetup)');
  const name = `${run}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${run}_tpl"`));
  const url = databaseUrl(name);
  const dataSource = await openDataSource({ url, poolSize: 20, applicationName: 'assemblr-test' });
  return {
    name,
    url,
    dataSource,
    drop: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

export async function dropRunDatabases(run: string): Promise<void> {
  await admin(async (c) => {
    const { rows } = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${run}%`]);
    // clones first, the template last
    const ordered = rows.map((r) => r.datname).sort((a, b) => Number(a.endsWith('_tpl')) - Number(b.endsWith('_tpl')));
    for (const name of ordered) await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}
