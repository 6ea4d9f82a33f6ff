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
  /** Peak V8 heap in use during the sweep (sampled). */
  peakHeapMb: number;
  /** Heap still in use after the sweep and a full GC: what a sweep leaves behind. */
  heapAfterGcMb: number;
  /** Largest live heap seen by a forced full GC every 2 s during the sweep: what a sweep holds. */
  retainedPeakMb: number;
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
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    peak = Math.max(peak, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  }, 50);
  let retained = 0;
  const probe = setInterval(() => {
    global.gc?.();
    retained = Math.max(retained, process.memoryUsage().heapUsed);
  }, 2000);
  const cpu = process.cpuUsage();
  const start = performance.now();
  const reply = await scheduling.sweep();
  const sweepMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  clearInterval(sampler);
  clearInterval(probe);
  peak = Math.max(peak, process.memoryUsage().rss);
  global.gc?.();
  return {
    sweepMs,
    cpuMs: (used.user + used.system) / 1000,
    checked: reply.checked,
    triggered: reply.triggered,
    baselineRssMb: mb(baseline),
    peakRssMb: mb(peak),
    peakHeapMb: mb(peakHeap),
    heapAfterGcMb: mb(process.memoryUsage().heapUsed),
    retainedPeakMb: mb(retained),
  };
}

main().catch((err: unknown) => {
  process.stderr.write(`sweep child failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
