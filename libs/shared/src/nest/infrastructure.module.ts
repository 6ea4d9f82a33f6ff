import { type DynamicModule, Global, Module, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { CommonConfig } from '../config/env.util';
import { openDataSource } from '../database/database-options';
import { ExecutionStore } from '../executions/execution-store';
import { connectNats } from '../nats/nats-connection';
import { natsNames } from '../nats/nats-names';
import { type Clock, systemClock } from '../clock';

/** Injection tokens for what every service shares. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const NATS_NAMES = Symbol('NATS_NAMES');
export const LOGGER = Symbol('LOGGER');
export const CLOCK = Symbol('CLOCK');

export interface InfrastructureOptions {
  service: string;
  config: CommonConfig;
  logger: Logger;
  /** Open a PostgreSQL pool (default true). */
  database?: boolean;
  /** Connect to NATS (default true). */
  nats?: boolean;
  clock?: Clock;
}

class InfrastructureShutdown implements OnApplicationShutdown {
  constructor(
    private readonly logger: Logger,
    private readonly dataSource?: DataSource,
    private readonly nc?: NatsConnection,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    // Services stop their consumers in their own hooks first; connections close last.
    if (this.nc && !this.nc.isClosed()) await this.nc.drain().catch((err: unknown) => this.logger.warn({ err }, 'nats drain failed'));
    if (this.dataSource?.isInitialized) await this.dataSource.destroy();
  }
}

/**
 * Config, logger, clock, PostgreSQL (TypeORM DataSource + ExecutionStore) and the NATS connection as
 * global providers, closed in order on shutdown.
 */
@Global()
@Module({})
export class InfrastructureModule {
  static forRoot(options: InfrastructureOptions): DynamicModule {
    const { config, service } = options;
    const providers: Provider[] = [
      { provide: APP_CONFIG, useValue: config },
      { provide: LOGGER, useValue: options.logger },
      { provide: CLOCK, useValue: options.clock ?? systemClock },
      { provide: NATS_NAMES, useValue: natsNames(config.ASSEMBLR_NATS_PREFIX) },
    ];
    const useDatabase = options.database !== false;
    const useNats = options.nats !== false;
    if (useDatabase) {
      providers.push(
        {
          provide: DataSource,
          useFactory: () => openDataSource({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, applicationName: `assemblr-${service}` }),
        },
        { provide: ExecutionStore, useFactory: (ds: DataSource) => new ExecutionStore(ds), inject: [DataSource] },
      );
    }
    if (useNats) {
      providers.push({ provide: NATS_CONNECTION, useFactory: () => connectNats(config.NATS_URL, `assemblr-${service}`, { asyncTraces: config.NATS_ASYNC_TRACES }) });
    }
    providers.push({
      provide: InfrastructureShutdown,
      useFactory: (logger: Logger, ds?: DataSource, nc?: NatsConnection) => new InfrastructureShutdown(logger, ds, nc),
      inject: [LOGGER, ...(useDatabase ? [DataSource] : []), ...(useNats ? [NATS_CONNECTION] : [])],
    });
    const exported = providers.filter((p) => typeof p === 'object' && 'provide' in p && p.provide !== InfrastructureShutdown);
    return {
      module: InfrastructureModule,
      providers,
      exports: exported.map((p) => (p as { provide: unknown }).provide as never),
    };
  }
}
