import { type DynamicModule, Module } from '@nestjs/common';
import { type Clock, InfrastructureModule, type Logger } from '@assemblr/shared';
import type { ChatConfig } from './chat.config';
import { CHAT_CONFIG } from './chat.tokens';
import { ConversationModule } from './conversation/conversation.module';

export { CHAT_CONFIG } from './chat.tokens';

@Module({})
export class ChatModule {
  static forRoot(config: ChatConfig, logger: Logger, clock?: Clock): DynamicModule {
    return {
      module: ChatModule,
      imports: [InfrastructureModule.forRoot({ service: 'chat', config, logger, clock }), ConversationModule],
      providers: [{ provide: CHAT_CONFIG, useValue: config }],
      exports: [CHAT_CONFIG],
      global: true,
    };
  }
}
