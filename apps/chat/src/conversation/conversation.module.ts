import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { LlmModule } from '../llm/llm.module';
import { ValuesModule } from '../values/values.module';
import { ChatRequestHandler } from './chat-request.handler';
import { ChatService } from './chat.service';

@Module({ imports: [CatalogModule, ValuesModule, LlmModule], providers: [ChatService, ChatRequestHandler] })
export class ConversationModule {}
