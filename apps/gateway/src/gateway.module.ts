import { type DynamicModule, Module } from '@nestjs/common';
import { type Clock, InfrastructureModule, type Logger } from '@assemblr/shared';
import type { GatewayConfig } from './gateway.config';
import { HealthModule } from './health/health.module';

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig, logger: Logger, clock?: Clock): DynamicModule {
    return {
      module: GatewayModule,
      imports: [InfrastructureModule.forRoot({ service: 'gateway', config, logger, clock }), HealthModule],
      providers: [{ provide: GATEWAY_CONFIG, useValue: config }],
      exports: [GATEWAY_CONFIG],
      global: true,
    };
  }
}
