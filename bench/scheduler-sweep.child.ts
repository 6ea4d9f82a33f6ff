// One scheduler replica for the benchmark, in a process of its own so that its memory is measured
// alone: boots the real app with the timer off, then runs one sweep per `sweep` message from the
// parent and answers with the sweep's figures; `exit` closes it.
import pino from 'pino';
import { createSchedulerApp } from '../apps/scheduler/src/scheduler.app';
import { loadSchedulerConfig } from '../apps/scheduler/src/scheduler.config';
import { SchedulingService } from '../apps/scheduler/src/scheduling/scheduling.service';

export interface SweepChildReport {
  sweepMs: number;
  /** CPU time (user + system) the sweep cost this process. */
  cpuMs: number;
  checked: number;
  triggered: number;
  baselineRssMb: number;
  peakRssMb: number;
  /** Heap still in use after the sweep and a full GC: what a sweep leaves behind. */
  heapAfterGcMb: number;
}

const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;

async function main(): Promise<void> {
  const app = await createSchedulerApp(loadSchedulerConfig({ ...process.env, SCHEDULER_SWEEP_INTERVAL_MS: '0' }), pino({ level: 'warn' }));
  const scheduling = app.get(SchedulingService);
  process.on('message', (message) => {
    if (message === 'exit') void app.close().then(() => process.exit(0));
    if (message === 'sweep') void sweepOnce(scheduling).then((report) => process.send?.(report));
  });
  process.send?.('ready');
}

async function sweepOnce(scheduling: SchedulingService): Promise<SweepChildReport> {
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const cpu = process.cpuUsage();
  const start = performance.now();
  const reply = await scheduling.sweep();
  const sweepMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  global.gc?.();
  return {
    sweepMs,
    cpuMs: (used.user + used.system) / 1000,
    checked: reply.checked,
    triggered: reply.triggered,
    baselineRssMb: mb(baseline),
    peakRssMb: mb(peak),
    heapAfterGcMb: mb(process.memoryUsage().heapUsed),
  };
}

main().catch((err: unknown) => {
  process.stderr.write(`sweep child failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
