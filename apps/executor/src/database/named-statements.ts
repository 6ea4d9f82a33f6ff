import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { DataSource } from 'typeorm';

/** What ExecutionStore and the executor's repositories need: `query(sql, params) → rows`. */
export interface RowQueryable {
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
}

/**
 * Runs every statement as a named (prepared) statement straight on TypeORM's pg pool: each connection
 * parses and plans a statement once, and TypeORM's per-query runner overhead is skipped. The executor's
 * hot path is a handful of fixed statements per run (STACK-NOTES: named about 2× faster than unnamed).
 */
export function namedStatements(dataSource: DataSource): RowQueryable {
  const pool = (dataSource.driver as unknown as { master: pg.Pool }).master;
  const names = new Map<string, string>();
  const nameOf = (sql: string) => {
    let name = names.get(sql);
    if (!name) {
      name = `x_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
      names.set(sql, name);
    }
    return name;
  };
  return {
    query: async (sql, params = []) => (await pool.query({ name: nameOf(sql), text: sql, values: params })).rows as Record<string, unknown>[],
  };
}
