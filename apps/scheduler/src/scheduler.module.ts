import { type DynamicModule, Module } from '@nestjs/common';
import { type Clock, InfrastructureModule, type Logger } from '@assemblr/shared';
import type { SchedulerConfig } from './scheduler.config';

export const SCHEDULER_CONFIG = Symbol('SCHEDULER_CONFIG');

@Module({})
export class SchedulerModule {
  static forRoot(config: SchedulerConfig, logger: Logger, clock?: Clock): DynamicModule {
    return {
      module: SchedulerModule,
      imports: [InfrastructureModule.forRoot({ service: 'scheduler', config, logger, clock })],
      providers: [{ provide: SCHEDULER_CONFIG, useValue: config }],
      exports: [SCHEDULER_CONFIG],
      global: true,
    };
  }
}
