import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type DataSourceKind, LOGGER, type Logger } from '@assemblr/shared';
import type { ExecutorConfig } from '../executor.config';
import { EXECUTOR_CONFIG } from '../executor.tokens';
import { DemoIntegration } from './demo.integration';
import { HttpIntegration } from './http.integration';
import type { Integration } from './integration';
import { PostgresIntegration } from './postgres.integration';
import { PostgresPools } from './postgres-pools';
import { SourceLimiter } from './source-limiter';

/** The integration for each data source kind, the per-source limiter, and the pools they own. */
@Injectable()
export class IntegrationsService implements OnApplicationShutdown {
  readonly limiter: SourceLimiter;
  private readonly pools: PostgresPools;
  private readonly byKind: Record<DataSourceKind, Integration>;

  constructor(@Inject(EXECUTOR_CONFIG) config: ExecutorConfig, @Inject(LOGGER) logger: Logger) {
    this.limiter = new SourceLimiter(config.EXECUTOR_SOURCE_CONCURRENCY);
    // pool errors carry no secrets (connection strings are never in pg's messages) but log only the code
    this.pools = new PostgresPools({
      maxPools: config.EXECUTOR_MAX_SOURCE_POOLS,
      poolSize: config.EXECUTOR_SOURCE_CONCURRENCY,
      onError: (err) => logger.warn({ code: (err as { code?: string }).code }, 'idle data-source connection failed'),
    });
    this.byKind = {
      demo: new DemoIntegration(),
      http: new HttpIntegration({ maxBytes: config.EXECUTOR_HTTP_MAX_BYTES }),
      postgres: new PostgresIntegration(this.pools, { maxRows: config.EXECUTOR_MAX_ROWS }),
    };
  }

  /** The integration for a kind; null for a kind this executor does not know (a newer data source). */
  forKind(kind: string): Integration | null {
    return Object.hasOwn(this.byKind, kind) ? this.byKind[kind as DataSourceKind] : null;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pools.closeAll();
  }
}
