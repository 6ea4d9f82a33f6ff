import { NestFactory } from '@nestjs/core';
import { PinoNestLogger, runService } from '@assemblr/shared';
import { loadChatConfig } from './chat.config';
import { ChatModule } from './chat.module';

runService('chat', async (logger) => {
  const config = loadChatConfig();
  const app = await NestFactory.createApplicationContext(ChatModule.forRoot(config, logger), {
    logger: new PinoNestLogger(logger.child({ component: 'nest' })),
    abortOnError: false,
  });
  await app.init();
  return { close: () => app.close() };
});
