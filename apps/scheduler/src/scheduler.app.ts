import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type Clock, type Logger, PinoNestLogger } from '@assemblr/shared';
import type { SchedulerConfig } from './scheduler.config';
import { SchedulerModule } from './scheduler.module';

/** Builds and starts the scheduler (used by main and by tests). */
export async function createSchedulerApp(config: SchedulerConfig, logger: Logger, clock?: Clock): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(SchedulerModule.forRoot(config, logger, clock), {
    logger: new PinoNestLogger(logger.child({ component: 'nest' })),
    abortOnError: false,
  });
  await app.init();
  return app;
}
