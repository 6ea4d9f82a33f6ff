import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type Clock, type Logger, PinoNestLogger } from '@assemblr/shared';
import type { ChatConfig } from './chat.config';
import { ChatModule } from './chat.module';

/** Builds and starts the chat (used by main and by tests). */
export async function createChatApp(config: ChatConfig, logger: Logger, clock?: Clock): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(ChatModule.forRoot(config, logger, clock), {
    logger: new PinoNestLogger(logger.child({ component: 'nest' })),
    abortOnError: false,
  });
  await app.init();
  return app;
}
