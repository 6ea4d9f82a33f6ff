import { ConfigError, loadDotEnv } from '../config/env.util';
import { createLogger, type Logger } from '../logging/logger';

export interface RunningService {
  close(): Promise<void>;
}

/**
 * The one way a service's `main.ts` starts: reads `.env`, starts the service, and closes it once on
 * SIGINT/SIGTERM. A bad configuration prints every bad key (no stack trace) and exits 1; any other
 * start failure is logged and exits 1.
 */
export function runService(service: string, start: (logger: Logger) => Promise<RunningService>): void {
  loadDotEnv();
  const logger = createLogger(service);
  let running: RunningService | undefined;
  let stopping = false;

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `${service} stopping`);
    const force = setTimeout(() => {
      logger.error(`${service} did not stop within 20 s; exiting`);
      process.exit(1);
    }, 20_000);
    force.unref();
    try {
      await running?.close();
      logger.info(`${service} stopped`);
      process.exit(0);
    } catch (err) {
      logger.error({ err }, `${service} failed to stop cleanly`);
      process.exit(1);
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));

  start(logger)
    .then((service_) => {
      running = service_;
      logger.info(`${service} started`);
    })
    .catch((err: unknown) => {
      if (err instanceof ConfigError) {
        process.stderr.write(`${err.message}\n`);
      } else if (isOperationalError(err)) {
        // A dependency is unreachable or unprepared: say which and how to fix it, without a stack trace.
        const code = operationalCode(err);
        const message = `${service} cannot start: ${err.message}${hintFor(code)}`;
        logger.fatal({ code }, message);
        process.stderr.write(`${message}\n`);
      } else {
        logger.fatal({ err }, `${service} failed to start`);
      }
      process.exit(1);
    });
}

function isOperationalError(err: unknown): err is Error {
  return err instanceof Error && (typeof (err as { code?: unknown }).code === 'string' || err.name === 'ConnectionError');
}

function operationalCode(err: Error): string {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : err.name === 'ConnectionError' ? 'CONNECTION_REFUSED' : 'UNKNOWN';
}

function hintFor(code: string): string {
  switch (code) {
    case '3D000':
    case '42P01':
      return ' (run `npm run migration:run`, or `npm start`, which applies migrations first)';
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'CONNECTION_REFUSED':
      return ' (check DATABASE_URL / NATS_URL and that PostgreSQL and NATS are running)';
    case '28P01':
    case '28000':
      return ' (PostgreSQL rejected the credentials in DATABASE_URL)';
    default:
      return '';
  }
}
