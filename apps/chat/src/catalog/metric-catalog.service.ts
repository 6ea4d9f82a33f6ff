import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import {
  type DataSourceKind,
  LOGGER,
  type Logger,
  NATS_CONNECTION,
  NATS_NAMES,
  type NatsNames,
  ServiceError,
  storedExecutionPolicy,
} from '@assemblr/shared';
import { DataSource } from 'typeorm';
import type { ChatConfig } from '../chat.config';
import { CHAT_CONFIG } from '../chat.tokens';
import { MetricMatcher } from '../retrieval/metric-matcher';
import type { CatalogMetric, CatalogSource } from './catalog.types';

export interface CatalogSnapshot {
  metrics: readonly CatalogMetric[];
  sources: readonly CatalogSource[];
  matcher: MetricMatcher;
}

type Row = Record<string, unknown>;

/**
 * The metrics chat can answer from, read from PostgreSQL and cached. The cache is re-read when older than
 * CHAT_CATALOG_REVALIDATE_MS (so hand edits show within that bound) and at once when the gateway announces
 * a change on `assemblr.changed.>`; the search index is rebuilt only when the rows actually changed.
 */
@Injectable()
export class MetricCatalogService implements OnApplicationBootstrap, OnApplicationShutdown {
  private snapshot: CatalogSnapshot | null = null;
  private fingerprint = '';
  private loadedAt = 0;
  /** Bumped on every change notice, so a load that raced a change does not count as current. */
  private generation = 0;
  private loading: Promise<CatalogSnapshot> | null = null;
  private loadingGeneration = 0;
  private subscription: Subscription | null = null;

  constructor(
    private readonly db: DataSource,
    @Inject(CHAT_CONFIG) private readonly config: ChatConfig,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.subscription = this.nc.subscribe(this.names.changedWildcard, {
      callback: () => {
        this.generation++;
        this.loadedAt = 0;
      },
    });
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }

  /** The current catalogue; re-read when stale. Throws `unavailable` when PostgreSQL cannot be read. */
  async get(): Promise<CatalogSnapshot> {
    // Operational age (not the domain clock): a ManualClock in tests must not freeze the cache.
    if (this.snapshot && Date.now() - this.loadedAt < this.config.CHAT_CATALOG_REVALIDATE_MS) return this.snapshot;
    // A load that began before the latest change notice may miss that change: start another.
    if (!this.loading || this.loadingGeneration !== this.generation) {
      this.loadingGeneration = this.generation;
      const loading: Promise<CatalogSnapshot> = this.load().finally(() => {
        if (this.loading === loading) this.loading = null;
      });
      this.loading = loading;
    }
    return this.loading;
  }

  /** The ordered metric ids of a dashboard; `not_found` when it does not exist. */
  async dashboardMetricIds(dashboardId: string): Promise<string[]> {
    const rows: Row[] = await this.query(
      `SELECT d.id, COALESCE(array_agg(dm.metric_id ORDER BY dm.position) FILTER (WHERE dm.metric_id IS NOT NULL), '{}') AS metric_ids
         FROM dashboards d LEFT JOIN dashboard_metrics dm ON dm.dashboard_id = d.id
        WHERE d.id = $1 GROUP BY d.id`,
      [dashboardId],
    );
    if (!rows[0]) throw new ServiceError('not_found', `dashboard ${dashboardId} does not exist`);
    return rows[0].metric_ids as string[];
  }

  private async load(): Promise<CatalogSnapshot> {
    const startedAt = Date.now();
    const generation = this.generation;
    const [metricRows, sourceRows] = await Promise.all([
      this.query(
        `SELECT m.id, m.name, m.description, m.tags, m.data_source_id, m.execution_policy, m.updated_at,
                d.name AS source_name, d.kind AS source_kind
           FROM metrics m JOIN data_sources d ON d.id = m.data_source_id
          ORDER BY m.created_at, m.id`,
      ),
      this.query(
        `SELECT d.id, d.name, d.kind, d.updated_at, count(m.id)::int AS metric_count
           FROM data_sources d LEFT JOIN metrics m ON m.data_source_id = d.id
          GROUP BY d.id ORDER BY d.created_at, d.id`,
      ),
    ]);
    const fingerprint = JSON.stringify([metricRows, sourceRows]);
    if (!this.snapshot || fingerprint !== this.fingerprint) {
      const metrics = metricRows.map(toCatalogMetric);
      this.snapshot = { metrics, sources: sourceRows.map(toCatalogSource), matcher: new MetricMatcher(metrics) };
      this.fingerprint = fingerprint;
      this.logger.debug({ metrics: metrics.length }, 'metric catalogue (re)indexed');
    }
    this.loadedAt = generation === this.generation ? startedAt : 0;
    return this.snapshot;
  }

  private async query(sql: string, params: unknown[] = []): Promise<Row[]> {
    try {
      return await this.db.query(sql, params);
    } catch (err) {
      this.logger.warn({ err }, 'metric catalogue query failed');
      throw new ServiceError('unavailable', 'the metric catalogue cannot be read right now');
    }
  }
}

function toCatalogMetric(row: Row): CatalogMetric {
  return {
    id: row.id as string,
    name: row.name as string,
    description: (row.description as string | null) ?? '',
    tags: (row.tags as string[] | null) ?? [],
    dataSourceId: row.data_source_id as string,
    dataSourceName: row.source_name as string,
    dataSourceKind: row.source_kind as DataSourceKind,
    policy: storedExecutionPolicy(row.execution_policy),
  };
}

function toCatalogSource(row: Row): CatalogSource {
  return { id: row.id as string, name: row.name as string, kind: row.kind as DataSourceKind, metricCount: Number(row.metric_count) };
}
