import { type DynamicModule, Module } from '@nestjs/common';
import { type Clock, InfrastructureModule, type Logger } from '@assemblr/shared';
import type { ChatConfig } from './chat.config';

export const CHAT_CONFIG = Symbol('CHAT_CONFIG');

@Module({})
export class ChatModule {
  static forRoot(config: ChatConfig, logger: Logger, clock?: Clock): DynamicModule {
    return {
      module: ChatModule,
      imports: [InfrastructureModule.forRoot({ service: 'chat', config, logger, clock })],
      providers: [{ provide: CHAT_CONFIG, useValue: config }],
      exports: [CHAT_CONFIG],
      global: true,
    };
  }
}
