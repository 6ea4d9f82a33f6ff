import { Inject, Injectable } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  type ChatAskReply,
  type ChatAskRequest,
  type ChatSpecReply,
  type ChatSpecRequest,
  LOGGER,
  type Logger,
  NATS_CONNECTION,
  NATS_NAMES,
  type NatsNames,
  requestJson,
  ServiceError,
} from '@assemblr/shared';
import type { GatewayConfig } from '../gateway.config';
import { GATEWAY_CONFIG } from '../gateway.tokens';

/** Forwards chat requests to a chat replica (`chat.ask` / `chat.spec`, queue group) and returns its reply. */
@Injectable()
export class ChatClient {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  ask(request: ChatAskRequest): Promise<ChatAskReply> {
    return this.call<ChatAskReply>(this.names.chatAsk, request);
  }

  spec(request: ChatSpecRequest): Promise<ChatSpecReply> {
    return this.call<ChatSpecReply>(this.names.chatSpec, request);
  }

  /** The chat service's answer; its error codes pass through; no replica (or no answer in time) is `unavailable`. */
  private async call<T>(subject: string, body: unknown): Promise<T> {
    try {
      return await requestJson<T>(this.nc, subject, body, this.config.CHAT_TIMEOUT_MS, 'the chat service is not available right now; try again shortly');
    } catch (err) {
      if (err instanceof ServiceError && err.code === 'unavailable') this.logger.warn({ err: String(err.cause ?? err), subject }, 'chat request unanswered');
      throw err;
    }
  }
}
