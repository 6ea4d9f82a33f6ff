import { type DynamicModule, Module } from '@nestjs/common';
import { type Clock, InfrastructureModule, type Logger } from '@assemblr/shared';
import type { ExecutorConfig } from './executor.config';

export const EXECUTOR_CONFIG = Symbol('EXECUTOR_CONFIG');

@Module({})
export class ExecutorModule {
  static forRoot(config: ExecutorConfig, logger: Logger, clock?: Clock): DynamicModule {
    return {
      module: ExecutorModule,
      imports: [InfrastructureModule.forRoot({ service: 'executor', config, logger, clock })],
      providers: [{ provide: EXECUTOR_CONFIG, useValue: config }],
      exports: [EXECUTOR_CONFIG],
      global: true,
    };
  }
}
