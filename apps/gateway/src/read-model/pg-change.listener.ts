import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, type Logger } from '@assemblr/shared';
import { Client, type Notification } from 'pg';
import type { GatewayConfig } from '../gateway.config';
import { GATEWAY_CONFIG } from '../gateway.tokens';
import { ChangeBus, type ChangeKind } from './change-bus.service';
import { RevalidatorService } from './revalidator.service';

/** The channel the `assemblr_notify_change()` trigger writes to (migration ChangeNotifications). */
export const CHANGE_CHANNEL = 'assemblr_changed';

const KINDS: Record<string, ChangeKind> = { metric: 'metric', dashboard: 'dashboard' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses `<kind>:<uuid>`; null for anything else. */
export function parseChangeNotification(payload: string | undefined): { kind: ChangeKind; id: string } | null {
  const [kind, id] = (payload ?? '').split(':');
  const known = kind ? KINDS[kind] : undefined;
  return known && id && UUID.test(id) ? { kind: known, id } : null;
}

/**
 * LISTENs for hand edits in PostgreSQL (trigger notifications) and drops the edited metric or dashboard
 * from this replica's caches at once, so the next read sees what PostgreSQL says. While the listening
 * connection is down the periodic revalidation still bounds staleness; on reconnect a full pass runs.
 */
@Injectable()
export class PgChangeListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private client?: Client;
  private stopped = false;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly changes: ChangeBus,
    private readonly revalidator: RevalidatorService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.connect(false);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
  }

  private async connect(reconnecting: boolean): Promise<void> {
    const client = new Client({ connectionString: this.config.DATABASE_URL, application_name: 'assemblr-gateway-listen' });
    client.on('notification', (n: Notification) => this.onNotification(n));
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
      this.client = client;
      if (reconnecting) void this.revalidator.tick(); // notifications missed while down
    } catch (err) {
      await client.end().catch(() => undefined);
      this.lost(client, err);
    }
  }

  private onNotification(notification: Notification): void {
    if (notification.channel !== CHANGE_CHANNEL) return;
    const change = parseChangeNotification(notification.payload);
    if (change) this.changes.applyLocal(change);
  }

  private lost(client: Client, err?: unknown): void {
    if (this.stopped || (this.client && this.client !== client) || this.retry) return;
    this.client = undefined;
    this.logger.warn({ err: err instanceof Error ? err.message : undefined }, 'change listener disconnected; revalidation covers until it is back');
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.connect(true);
    }, 1000);
    this.retry.unref();
  }
}
