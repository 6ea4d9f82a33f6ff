import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import {
  chatAskSchema,
  chatSpecSchema,
  decodeJson,
  LOGGER,
  type Logger,
  NATS_CONNECTION,
  NATS_NAMES,
  type NatsNames,
  parseMessage,
  QUEUE_GROUPS,
  respondWithError,
  respondWithJson,
  ServiceError,
} from '@assemblr/shared';
import type { z } from 'zod';
import { ChatService } from './chat.service';

/** The NATS edge: `chat.ask` and `chat.spec` in the chat queue group. Validates, calls one method, replies. */
@Injectable()
export class ChatRequestHandler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly subscriptions: Subscription[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly chat: ChatService,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.listen(this.names.chatAsk, chatAskSchema, (request) => this.chat.ask(request));
    this.listen(this.names.chatSpec, chatSpecSchema, (request) => this.chat.spec(request));
  }

  /** Stops taking requests, then lets the ones being answered finish before the connection closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.subscriptions.map((s) => s.drain()));
    await Promise.allSettled([...this.inFlight]);
  }

  private listen<S extends z.ZodType>(subject: string, schema: S, handle: (request: z.infer<S>) => Promise<unknown>): void {
    const subscription = this.nc.subscribe(subject, {
      queue: QUEUE_GROUPS.chat,
      callback: (err, msg) => {
        if (err) {
          this.logger.warn({ err: String(err), subject }, 'chat subscription error');
          return;
        }
        const task = this.answer(msg, schema, handle).finally(() => this.inFlight.delete(task));
        this.inFlight.add(task);
      },
    });
    this.subscriptions.push(subscription);
  }

  private async answer<S extends z.ZodType>(msg: Msg, schema: S, handle: (request: z.infer<S>) => Promise<unknown>): Promise<void> {
    try {
      const decoded = decodeJson(msg.data);
      const parsed = decoded.ok ? parseMessage(schema, decoded.value) : decoded;
      if (!parsed.ok) {
        const detail = parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
        this.reply(msg, new ServiceError('invalid_request', detail, parsed.errors));
        return;
      }
      this.reply(msg, await handle(parsed.value as z.infer<S>));
    } catch (err) {
      if (err instanceof ServiceError) return this.reply(msg, err);
      this.logger.error({ err, subject: msg.subject }, 'chat request failed');
      this.reply(msg, new ServiceError('internal', 'the chat service could not answer'));
    }
  }

  /** Replies, never throwing: a requester that went away (or a closing connection) must not crash us. */
  private reply(msg: Msg, body: unknown): void {
    try {
      if (body instanceof ServiceError) respondWithError(msg, body);
      else respondWithJson(msg, body);
    } catch (err) {
      this.logger.warn({ err: String(err), subject: msg.subject }, 'chat reply could not be sent');
    }
  }
}
