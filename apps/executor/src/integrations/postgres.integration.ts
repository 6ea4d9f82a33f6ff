import type pg from 'pg';
import { z } from 'zod';
import { type Integration, IntegrationError, type IntegrationRun, parseWith } from './integration';
import type { PostgresPools } from './postgres-pools';
import { scrubSecrets } from './scrub.util';

const postgresConfig = z.object({
  connectionString: z.string({ error: 'is required (a postgres:// URL)' }).min(1, 'must not be empty'),
});

const postgresDefinition = z.object({
  sql: z.string({ error: 'is required' }).trim().min(1, 'must not be empty').max(100_000, 'is too long'),
});

export interface PostgresIntegrationOptions {
  maxRows: number;
}

export interface PostgresResult {
  columns: { name: string }[];
  rows: Record<string, unknown>[];
  rowCount: number;
  value: unknown;
}

/**
 * Runs one SQL statement in a READ ONLY transaction with a statement timeout, through a cursor so that
 * a result over the row cap is refused without being read whole.
 */
export class PostgresIntegration implements Integration {
  readonly kind = 'postgres' as const;

  constructor(
    private readonly pools: PostgresPools,
    private readonly options: PostgresIntegrationOptions,
  ) {}

  async run({ source, definition, signal, timeoutMs }: IntegrationRun): Promise<PostgresResult> {
    const { connectionString } = parseWith(postgresConfig, source.config, 'config');
    const { sql } = parseWith(postgresDefinition, definition, 'definition');
    const pool = this.pools.get(source.id, connectionString);
    const fail = (err: unknown): never => {
      if (signal.aborted) throw signal.reason;
      // the server-side statement timeout and the executor's timer are the same limit: same outcome
      if ((err as { code?: string }).code === '57014') throw new IntegrationError(`timed out after ${timeoutMs} ms`, 'timeout');
      throw new IntegrationError(scrubSecrets(describePgError(err), connectionString));
    };
    const client = await pool.connect().catch(fail);
    let broken = false;
    // On abort the connection is dropped: the server stops at the statement timeout at the latest.
    const onAbort = () => {
      broken = true;
      client.release(true);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.query(client, sql, timeoutMs);
    } catch (err) {
      if (!broken) {
        broken = true;
        client.release(true);
      }
      return fail(err);
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (!broken) client.release();
    }
  }

  private async query(client: pg.PoolClient, sql: string, timeoutMs: number): Promise<PostgresResult> {
    await client.query(`BEGIN READ ONLY; SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
    // The extended protocol accepts exactly one statement: no `; COMMIT; …` escapes the read-only transaction.
    const declare = { text: `DECLARE assemblr_metric NO SCROLL CURSOR FOR ${sql.replace(/;\s*$/, '')}`, queryMode: 'extended' };
    await client.query(declare as pg.QueryConfig).catch((err: { code?: string; message?: string }) => {
      // only SELECT, WITH … SELECT, VALUES and TABLE may be a cursor: anything else is not a metric query
      if (err.code === '42601' || err.code === '0A000') {
        throw new IntegrationError(`definition.sql must be one read-only query (SELECT, WITH … SELECT or VALUES): ${err.message ?? ''}`);
      }
      throw err;
    }); // queryMode is missing from @types/pg
    const res = await client.query({ text: `FETCH FORWARD ${this.options.maxRows + 1} FROM assemblr_metric`, rowMode: 'array' });
    await client.query('ROLLBACK');
    if (res.rows.length > this.options.maxRows) {
      throw new IntegrationError(`query returned more than ${this.options.maxRows} rows; aggregate it or add a LIMIT`);
    }
    const names = res.fields.map((f) => f.name);
    const arrays = res.rows as unknown[][];
    return {
      columns: names.map((name) => ({ name })),
      rows: arrays.map((row) => Object.fromEntries(names.map((name, i) => [name, row[i]]))),
      rowCount: arrays.length,
      value: arrays[0]?.[0] ?? null,
    };
  }
}

function describePgError(err: unknown): string {
  if (err instanceof IntegrationError) return err.message;
  const e = err as { code?: string; message?: string };
  switch (e.code) {
    case '25006':
      return 'query tried to write: metrics run in a read-only transaction';
    default:
      return `query failed: ${e.message ?? String(err)}${e.code ? ` (SQLSTATE ${e.code})` : ''}`;
  }
}
