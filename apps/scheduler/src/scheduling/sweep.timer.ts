import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { LOGGER, type Logger } from '@assemblr/shared';
import type { SchedulerConfig } from '../scheduler.config';
import { SCHEDULER_CONFIG } from '../scheduler.tokens';
import { SchedulingService } from './scheduling.service';

/**
 * Sweeps at start (catching up on slots missed while down) and then every SCHEDULER_SWEEP_INTERVAL_MS
 * after the previous sweep ended, so sweeps never pile up. Due-ness comes from the injected clock.
 * Every SCHEDULER_ADOPT_INTERVAL_MS a tick first puts hand-scheduled metrics on the schedule.
 */
@Injectable()
export class SweepTimer implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lastAdoptAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly scheduling: SchedulingService,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.SCHEDULER_SWEEP_INTERVAL_MS > 0) this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.scheduling.idle();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    try {
      await this.adoptWhenDue();
      await this.scheduling.sweep();
    } catch (err) {
      // The due rows stay due (the failed batch rolled back); the next tick retries them.
      this.logger.warn({ err }, 'timer sweep failed; retrying at the next tick');
    }
    this.schedule(this.config.SCHEDULER_SWEEP_INTERVAL_MS);
  }

  // A sequential scan, so on its own (longer) interval; elapsed real time, not the injected clock.
  private async adoptWhenDue(): Promise<void> {
    const interval = this.config.SCHEDULER_ADOPT_INTERVAL_MS;
    if (interval === 0 || performance.now() - this.lastAdoptAt < interval) return;
    this.lastAdoptAt = performance.now();
    await this.scheduling.adoptHandScheduled();
  }
}
