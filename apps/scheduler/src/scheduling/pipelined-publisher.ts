import { createInbox, headers, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';

/** What JetStream answered for one stored message. */
export interface PubAck {
  stream: string;
  seq: number;
  duplicate: boolean;
}

/** One message of a window: its subject, payload and `Nats-Msg-Id`. */
export interface PipelinedMessage {
  subject: string;
  data: string;
  msgId: string;
}

/** A publish JetStream refused (`code` from its error reply, 503 when no stream listens) or never acked. */
export class PubAckError extends Error {
  constructor(
    message: string,
    readonly code: number | null,
  ) {
    super(message);
    this.name = 'PubAckError';
  }
}

interface Window {
  acks: (PubAck | undefined)[];
  tokens: string[];
  remaining: number;
  error: PubAckError | null;
  timer: NodeJS.Timeout | undefined;
  settle: (err: PubAckError | null) => void;
}

interface Pending {
  window: Window;
  index: number;
}

/**
 * JetStream publishing without nats.js' per-message request machinery: plain `nc.publish` with a reply
 * subject under one long-lived inbox subscription (`_INBOX.<nuid>.<token>`), each PubAck matched to its
 * pending entry by the token, one timer per window. Cheaper per message than `js.publish` (no request
 * object, timer or error stack per publish); same acks.
 */
export class PipelinedPublisher {
  private readonly prefix = createInbox();
  private readonly pending = new Map<string, Pending>();
  private sub: Subscription | null = null;
  private counter = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly ackTimeoutMs = 5_000,
  ) {}

  /** Subscribes the inbox (idempotent); call before the first window. */
  start(): void {
    this.sub ??= this.nc.subscribe(`${this.prefix}.*`, {
      callback: (err, msg) => {
        if (err === null) this.onAck(msg);
      },
    });
  }

  /** Unsubscribes; windows still waiting time out. */
  stop(): void {
    this.sub?.unsubscribe();
    this.sub = null;
  }

  /**
   * Writes every message at once and resolves with their acks in order once all arrived; rejects when
   * any was refused, or with a timeout error when some got no ack within the timeout (late acks are ignored).
   */
  publishWindow(messages: readonly PipelinedMessage[]): Promise<PubAck[]> {
    this.start();
    return new Promise<PubAck[]>((resolve, reject) => {
      const window: Window = { acks: new Array<PubAck | undefined>(messages.length), tokens: [], remaining: messages.length, error: null, timer: undefined, settle: () => undefined };
      window.settle = (err) => {
        clearTimeout(window.timer);
        for (const token of window.tokens) this.pending.delete(token);
        if (err) reject(err);
        else resolve(window.acks as PubAck[]);
      };
      if (messages.length === 0) return window.settle(null);
      window.timer = setTimeout(() => window.settle(new PubAckError(`no ack for ${window.remaining} of ${messages.length} publishes within ${this.ackTimeoutMs} ms`, null)), this.ackTimeoutMs);
      try {
        messages.forEach((message, index) => this.send(message, window, index));
      } catch (err) {
        window.settle(new PubAckError(`publish failed: ${err instanceof Error ? err.message : String(err)}`, null));
      }
    });
  }

  private send(message: PipelinedMessage, window: Window, index: number): void {
    const token = (this.counter++).toString(36);
    window.tokens.push(token);
    this.pending.set(token, { window, index });
    const h = headers();
    h.set('Nats-Msg-Id', message.msgId);
    this.nc.publish(message.subject, message.data, { reply: `${this.prefix}.${token}`, headers: h });
  }

  private onAck(msg: Msg): void {
    const token = msg.subject.slice(this.prefix.length + 1);
    const entry = this.pending.get(token);
    if (!entry) return; // late ack of a timed-out window
    this.pending.delete(token);
    const { window, index } = entry;
    const parsed = parseAck(msg);
    if (parsed instanceof PubAckError) window.error ??= parsed;
    else window.acks[index] = parsed;
    if (--window.remaining === 0) window.settle(window.error);
  }
}

/** A PubAck (`{ stream, seq, duplicate? }`), or the error it carries (`{ error: { code, description } }`, or a 503 status). */
export function parseAck(msg: Msg): PubAck | PubAckError {
  if (msg.data.length === 0) {
    const code = msg.headers?.code ?? null;
    return new PubAckError(code === 503 ? 'no responders: no stream stores this subject' : `empty ack (status ${String(code)})`, code);
  }
  try {
    const body = msg.json<{ stream?: unknown; seq?: unknown; duplicate?: unknown; error?: { code?: unknown; description?: unknown } }>();
    if (body.error) return new PubAckError(`publish refused: ${String(body.error.description)}`, typeof body.error.code === 'number' ? body.error.code : null);
    if (typeof body.stream !== 'string' || typeof body.seq !== 'number') return new PubAckError('malformed ack', null);
    return { stream: body.stream, seq: body.seq, duplicate: body.duplicate === true };
  } catch {
    return new PubAckError('ack is not JSON', null);
  }
}
