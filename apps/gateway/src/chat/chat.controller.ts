import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { type ChatAskReply, chatAskSchema, type ChatSpecReply, chatSpecSchema } from '@assemblr/shared';
import { parseInput } from '../common/input-validation.util';
import { openApiSchema } from '../common/openapi.util';
import { ChatClient } from './chat.client';

/** `POST /api/chat` and `POST /api/chat/spec`: validated here, answered by the chat service over NATS. */
@ApiTags('chat')
@ApiBearerAuth()
@Controller('api/chat')
export class ChatController {
  constructor(private readonly chat: ChatClient) {}

  @Post()
  @HttpCode(200)
  @ApiBody({ schema: openApiSchema(chatAskSchema) })
  ask(@Body() body: unknown): Promise<ChatAskReply> {
    return this.chat.ask(parseInput(chatAskSchema, body));
  }

  @Post('spec')
  @HttpCode(200)
  @ApiBody({ schema: openApiSchema(chatSpecSchema) })
  spec(@Body() body: unknown): Promise<ChatSpecReply> {
    return this.chat.spec(parseInput(chatSpecSchema, body));
  }
}
