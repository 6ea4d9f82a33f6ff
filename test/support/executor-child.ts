// An executor in a process of its own, configured from the environment; prints "ready <workerId>" once it
// consumes. Spawned by tests (see spawnExecutor) so that it can be killed for real.
import pino from 'pino';
import { createExecutorApp } from '../../apps/executor/src/executor.app';
import { loadExecutorConfig } from '../../apps/executor/src/executor.config';

async function main(): Promise<void> {
  const config = loadExecutorConfig(process.env);
  await createExecutorApp(config, pino({ level: process.env.LOG_LEVEL ?? 'silent' }, pino.destination(2)));
  process.stdout.write(`ready ${process.pid}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`executor child failed: ${String(err)}\n`);
  process.exit(1);
});
