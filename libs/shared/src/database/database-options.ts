import { Client } from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { DashboardEntity, DashboardMetricEntity } from './entities/dashboard.entity';
import { DataSourceEntity } from './entities/data-source.entity';
import { MetricExecutionEntity } from './entities/metric-execution.entity';
import { MetricEntity } from './entities/metric.entity';
import { InitialSchema1764201600000 } from './migrations/1764201600000-initial-schema';
import { ExecutionFailureKind1764288000000 } from './migrations/1764288000000-execution-failure-kind';
import { ChangeNotifications1764374400000 } from './migrations/1764374400000-change-notifications';

export const ENTITIES = [DataSourceEntity, MetricEntity, MetricExecutionEntity, DashboardEntity, DashboardMetricEntity];
/** Every migration, in order. Add new ones here (never `synchronize`). */
export const MIGRATIONS = [InitialSchema1764201600000, ExecutionFailureKind1764288000000, ChangeNotifications1764374400000];

export interface DatabaseOptions {
  url: string;
  poolSize?: number;
  applicationName?: string;
}

export function buildDataSourceOptions(options: DatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    applicationName: options.applicationName,
    extra: { max: options.poolSize ?? 10 },
  };
}

export async function openDataSource(options: DatabaseOptions): Promise<DataSource> {
  return new DataSource(buildDataSourceOptions(options)).initialize();
}

/** Creates the database named in `url` when it does not exist (connecting to `postgres` to do so). */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!database) throw new Error('DATABASE_URL names no database');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
    } catch (err) {
      // 42P04: created concurrently by another process
      if ((err as { code?: string }).code !== '42P04') throw err;
      return false;
    }
    return true;
  } finally {
    await client.end();
  }
}

/** Creates the database if needed and applies pending migrations in one transaction; returns their names. */
export async function runMigrations(url: string): Promise<string[]> {
  await ensureDatabase(url);
  const dataSource = await openDataSource({ url, poolSize: 1, applicationName: 'assemblr-migrate' });
  try {
    const applied = await dataSource.runMigrations({ transaction: 'all' });
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}
