// `npm start`: applies migrations (creating the database if needed), then runs the four services as
// separate processes with prefixed output. SIGINT/SIGTERM stops all of them; if one dies, the others
// are stopped and the exit code is non-zero so a supervisor can restart the stack.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { commonEnvSchema, ConfigError, loadConfig, loadDotEnv, runMigrations } from '@assemblr/shared';

const SERVICES = ['executor', 'scheduler', 'chat', 'gateway'] as const;
const COLORS = ['\x1b[36m', '\x1b[35m', '\x1b[33m', '\x1b[32m'];
const RESET = '\x1b[0m';
const STARTUP_GRACE_MS = 15_000;

const children = new Map<string, ChildProcess>();
let stopping = false;
let exitCode = 0;

function prefixed(service: string, index: number): (line: string) => void {
  const tag = process.stdout.isTTY ? `${COLORS[index]}[${service}]${RESET}` : `[${service}]`;
  return (line) => process.stdout.write(`${tag} ${line}\n`);
}

function launch(service: string, index: number, startedAt: number): void {
  const child = spawn(process.execPath, ['--enable-source-maps', join(__dirname, '..', 'apps', service, 'src', 'main.js')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: process.env,
  });
  children.set(service, child);
  const print = prefixed(service, index);
  createInterface({ input: child.stdout! }).on('line', print);
  createInterface({ input: child.stderr! }).on('line', print);
  child.on('exit', (code, signal) => {
    children.delete(service);
    if (stopping) {
      if (children.size === 0) process.exit(exitCode);
      return;
    }
    const early = Date.now() - startedAt < STARTUP_GRACE_MS;
    print(`exited (${signal ?? `code ${code}`})${early ? ' while starting' : ''}; stopping the others`);
    exitCode = code && code !== 0 ? code : 1;
    stopAll('child-exit');
  });
}

function stopAll(reason: string): void {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`[start] stopping all services (${reason})\n`);
  for (const child of children.values()) child.kill('SIGTERM');
  if (children.size === 0) process.exit(exitCode);
  setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
    process.exit(exitCode || 1);
  }, 25_000).unref();
}

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig('start', commonEnvSchema);
  const applied = await runMigrations(config.DATABASE_URL);
  process.stdout.write(`[start] database ready (${applied.length ? `applied ${applied.join(', ')}` : 'no pending migrations'})\n`);
  process.once('SIGINT', () => stopAll('SIGINT'));
  process.once('SIGTERM', () => stopAll('SIGTERM'));
  const startedAt = Date.now();
  SERVICES.forEach((service, index) => launch(service, index, startedAt));
}

main().catch((err: unknown) => {
  process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `[start] ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
