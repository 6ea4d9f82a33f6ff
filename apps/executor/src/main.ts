import { NestFactory } from '@nestjs/core';
import { PinoNestLogger, runService } from '@assemblr/shared';
import { loadExecutorConfig } from './executor.config';
import { ExecutorModule } from './executor.module';

runService('executor', async (logger) => {
  const config = loadExecutorConfig();
  const app = await NestFactory.createApplicationContext(ExecutorModule.forRoot(config, logger), {
    logger: new PinoNestLogger(logger.child({ component: 'nest' })),
    abortOnError: false,
  });
  await app.init();
  return { close: () => app.close() };
});
