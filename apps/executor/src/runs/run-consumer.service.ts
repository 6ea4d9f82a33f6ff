import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import {
  AckPolicy,
  type Consumer,
  type ConsumerMessages,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
  type JetStreamManager,
  jetstreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { ensureRunStream, LOGGER, type Logger, NATS_CONNECTION, NATS_NAMES, type NatsNames } from '@assemblr/shared';
import type { ExecutorConfig } from '../executor.config';
import { EXECUTOR_CONFIG } from '../executor.tokens';
import { OutcomePublisher } from './outcome-publisher.service';
import { RunHandler } from './run-handler.service';

const ns = (ms: number) => ms * 1_000_000;
// A fetch asks for the slots free when it starts; slots freed meanwhile are asked for by the next
// fetch, so a short expiry bounds how long queued requests can wait beside idle slots.
const PULL_EXPIRES_MS = 1_000;

/**
 * Pulls run requests from the one durable consumer every replica shares, never holding more messages
 * than it has free slots (a message waiting in a client buffer would age towards its ack wait unseen).
 */
@Injectable()
export class RunConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly slotFreed: (() => void)[] = [];
  private stopping = false;
  private batch?: ConsumerMessages;
  private loop?: Promise<void>;

  constructor(
    private readonly handler: RunHandler,
    private readonly outcomes: OutcomePublisher,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NATS_NAMES) private readonly names: NatsNames,
    @Inject(EXECUTOR_CONFIG) private readonly config: ExecutorConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const consumer = await this.ensureConsumer();
    this.loop = this.pull(consumer);
  }

  /** Creates or updates the shared consumer; every replica may do so at once. */
  async ensureConsumer(): Promise<Consumer> {
    const jsm = await jetstreamManager(this.nc);
    await ensureRunStream(jsm, this.names);
    const settings = {
      ack_wait: ns(this.config.EXECUTOR_ACK_WAIT_MS),
      max_deliver: this.config.EXECUTOR_MAX_DELIVER,
      max_ack_pending: Math.max(1000, this.config.EXECUTOR_CONCURRENCY * 64),
    };
    if (await this.consumerExists(jsm)) {
      await jsm.consumers.update(this.names.runStream, this.names.runConsumer, settings);
    } else {
      try {
        await jsm.consumers.add(this.names.runStream, {
          durable_name: this.names.runConsumer,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          ...settings,
        });
      } catch (addErr) {
        // another replica may have created it first: then make our settings win
        if (!(await this.consumerExists(jsm))) throw addErr;
        await jsm.consumers.update(this.names.runStream, this.names.runConsumer, settings);
      }
    }
    return jetstream(this.nc).consumers.get(this.names.runStream, this.names.runConsumer);
  }

  private async consumerExists(jsm: JetStreamManager): Promise<boolean> {
    try {
      await jsm.consumers.info(this.names.runStream, this.names.runConsumer);
      return true;
    } catch (err) {
      if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.ConsumerNotFound) return false;
      throw err;
    }
  }

  private async pull(consumer: Consumer): Promise<void> {
    while (!this.stopping) {
      const free = this.config.EXECUTOR_CONCURRENCY - this.inFlight.size;
      if (free <= 0) {
        await new Promise<void>((resolve) => this.slotFreed.push(resolve));
        continue;
      }
      try {
        this.batch = await consumer.fetch({ max_messages: free, expires: PULL_EXPIRES_MS });
        for await (const msg of this.batch) this.start(msg);
      } catch (err) {
        if (this.stopping) break;
        this.logger.warn({ err: (err as Error).message }, 'pulling run requests failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  private start(msg: JsMsg): void {
    const task = this.handler.handle(msg).finally(() => {
      this.inFlight.delete(task);
      this.slotFreed.shift()?.();
    });
    this.inFlight.add(task);
  }

  /** Stops pulling, lets runs finish within the shutdown timeout, then fails the rest and hands them back. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.drain();
    await this.outcomes.flush();
  }

  private async drain(): Promise<void> {
    this.stopping = true;
    this.slotFreed.splice(0).forEach((wake) => wake());
    await this.batch?.close().catch(() => undefined);
    await this.loop;
    if (this.inFlight.size === 0) return;
    this.logger.info({ inFlight: this.inFlight.size }, 'waiting for in-flight runs before shutdown');
    const drained = await this.settledWithin(this.config.EXECUTOR_SHUTDOWN_TIMEOUT_MS);
    if (drained) return;
    this.logger.warn({ inFlight: this.inFlight.size }, 'shutdown timeout: failing the remaining runs');
    this.handler.abortAll('executor shutting down');
    await this.settledWithin(10_000);
  }

  private async settledWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    const all = Promise.allSettled([...this.inFlight]).then(() => true as const);
    const done = await Promise.race([all, timeout]);
    clearTimeout(timer);
    return done;
  }
}
