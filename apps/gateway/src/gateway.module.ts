import { type DynamicModule, Module } from '@nestjs/common';
import { type Clock, InfrastructureModule, type Logger } from '@assemblr/shared';
import type { GatewayConfig } from './gateway.config';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ApiTokenVerifier } from './auth/api-token.verifier';
import { BearerAuthGuard } from './auth/bearer-auth.guard';
import { ChatModule } from './chat/chat.module';
import { ProblemFilter } from './common/problem.filter';
import { DashboardsModule } from './dashboards/dashboards.module';
import { DataSourcesModule } from './data-sources/data-sources.module';
import { GATEWAY_CONFIG } from './gateway.tokens';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { SchedulerModule } from './scheduler/scheduler.module';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig, logger: Logger, clock?: Clock): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        InfrastructureModule.forRoot({ service: 'gateway', config, logger, clock }),
        HealthModule,
        DataSourcesModule,
        MetricsModule,
        DashboardsModule,
        ChatModule,
        SchedulerModule,
      ],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        ApiTokenVerifier,
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
      exports: [GATEWAY_CONFIG, ApiTokenVerifier],
      global: true,
    };
  }
}
