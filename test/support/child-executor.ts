import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export interface ChildExecutor {
  process: ChildProcess;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
}

/** Starts a real executor process (TypeScript through swc) with `env`; resolves once it consumes. */
export async function spawnExecutor(env: NodeJS.ProcessEnv, timeoutMs = 20_000): Promise<ChildExecutor> {
  const child = spawn(process.execPath, ['--require', join(__dirname, 'swc-register.js'), join(__dirname, 'executor-child.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`executor child not ready in time:\n${stderr}`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (!chunk.toString().includes('ready')) return;
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`executor child exited with ${code}:\n${stderr}`));
    });
  });
  return {
    process: child,
    kill: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
