import { type DynamicModule, Module } from '@nestjs/common';
import { type Clock, InfrastructureModule, type Logger } from '@assemblr/shared';
import type { ExecutorConfig } from './executor.config';
import { EXECUTOR_CONFIG } from './executor.tokens';
import { FreshnessModule } from './freshness/freshness.module';
import { ReaperModule } from './reaper/reaper.module';
import { RunsModule } from './runs/runs.module';

export { EXECUTOR_CONFIG } from './executor.tokens';

@Module({})
export class ExecutorModule {
  static forRoot(config: ExecutorConfig, logger: Logger, clock?: Clock): DynamicModule {
    return {
      module: ExecutorModule,
      imports: [InfrastructureModule.forRoot({ service: 'executor', config, logger, clock }), RunsModule, ReaperModule, FreshnessModule],
      providers: [{ provide: EXECUTOR_CONFIG, useValue: config }],
      exports: [EXECUTOR_CONFIG],
      global: true,
    };
  }
}
