import { type DynamicModule, Module } from '@nestjs/common';
import { type Clock, InfrastructureModule, type Logger } from '@assemblr/shared';
import type { SchedulerConfig } from './scheduler.config';
import { SCHEDULER_CONFIG } from './scheduler.tokens';
import { SchedulingModule } from './scheduling/scheduling.module';

export { SCHEDULER_CONFIG } from './scheduler.tokens';

@Module({})
export class SchedulerModule {
  static forRoot(config: SchedulerConfig, logger: Logger, clock?: Clock): DynamicModule {
    return {
      module: SchedulerModule,
      imports: [InfrastructureModule.forRoot({ service: 'scheduler', config, logger, clock }), SchedulingModule],
      providers: [{ provide: SCHEDULER_CONFIG, useValue: config }],
      exports: [SCHEDULER_CONFIG],
      global: true,
    };
  }
}
