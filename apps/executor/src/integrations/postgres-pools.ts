import { createHash } from 'node:crypto';
import pg from 'pg';

export interface PoolCacheOptions {
  /** Pools kept open at once; the least recently used is closed first. */
  maxPools: number;
  /** Connections per pool (the per-source concurrency limit). */
  poolSize: number;
  onError(err: Error): void;
}

// int8 and numeric arrive as strings; metrics want numbers where that loses nothing.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return toNumberIfExact;
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};

function toNumberIfExact(text: string): number | string {
  const n = Number(text);
  return Number.isFinite(n) && text.replace(/^-|\.?0+$|\./g, '').replace(/^0+/, '').length <= 15 ? n : text;
}

/** One pg Pool per data source, keyed by id + config hash (an edited config gets a new pool), bounded LRU. */
export class PostgresPools {
  private readonly pools = new Map<string, pg.Pool>();

  constructor(private readonly options: PoolCacheOptions) {}

  get(sourceId: string, connectionString: string): pg.Pool {
    const key = `${sourceId}:${createHash('sha256').update(connectionString).digest('hex').slice(0, 16)}`;
    const existing = this.pools.get(key);
    if (existing) {
      // re-insert: Map order is the LRU order
      this.pools.delete(key);
      this.pools.set(key, existing);
      return existing;
    }
    for (const [staleKey, pool] of this.pools) {
      // an older config of this source, or the least recently used when full
      if (staleKey.startsWith(`${sourceId}:`) || this.pools.size >= this.options.maxPools) {
        this.pools.delete(staleKey);
        void pool.end().catch(() => undefined);
      }
      if (this.pools.size < this.options.maxPools) break;
    }
    const pool = new pg.Pool({
      connectionString,
      max: this.options.poolSize,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 10_000,
      application_name: 'assemblr-executor-metric',
      types,
    });
    pool.on('error', (err) => this.options.onError(err));
    this.pools.set(key, pool);
    return pool;
  }

  get size(): number {
    return this.pools.size;
  }

  async closeAll(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
  }
}
