import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  chatAskSchema,
  chatSpecSchema,
  LOGGER,
  type Logger,
  NATS_CONNECTION,
  NATS_NAMES,
  type NatsNames,
  QUEUE_GROUPS,
  type RequestServer,
  serveRequests,
} from '@assemblr/shared';
import { ChatService } from './chat.service';

/** The NATS edge: `chat.ask` and `chat.spec` in the chat queue group. Validates, calls one method, replies. */
@Injectable()
export class ChatRequestHandler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private servers: RequestServer[] = [];

  constructor(
    private readonly chat: ChatService,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const common = { queue: QUEUE_GROUPS.chat, logger: this.logger };
    this.servers = [
      serveRequests(this.nc, { ...common, subject: this.names.chatAsk, schema: chatAskSchema, handle: (request) => this.chat.ask(request) }),
      serveRequests(this.nc, { ...common, subject: this.names.chatSpec, schema: chatSpecSchema, handle: (request) => this.chat.spec(request) }),
    ];
    // once started, the server knows these subscriptions: a request right after start finds a responder
    await this.nc.flush();
  }

  /** Stops taking requests, then lets the ones being answered finish before the connection closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.stop()));
  }
}
