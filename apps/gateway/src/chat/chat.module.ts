import { Module } from '@nestjs/common';
import { ChatClient } from './chat.client';
import { ChatController } from './chat.controller';

@Module({ controllers: [ChatController], providers: [ChatClient] })
export class ChatModule {}
