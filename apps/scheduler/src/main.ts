import { NestFactory } from '@nestjs/core';
import { PinoNestLogger, runService } from '@assemblr/shared';
import { loadSchedulerConfig } from './scheduler.config';
import { SchedulerModule } from './scheduler.module';

runService('scheduler', async (logger) => {
  const config = loadSchedulerConfig();
  const app = await NestFactory.createApplicationContext(SchedulerModule.forRoot(config, logger), {
    logger: new PinoNestLogger(logger.child({ component: 'nest' })),
    abortOnError: false,
  });
  await app.init();
  return { close: () => app.close() };
});
