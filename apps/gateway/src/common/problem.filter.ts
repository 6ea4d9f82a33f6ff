import { type ArgumentsHost, Catch, type ExceptionFilter, Inject, NotFoundException } from '@nestjs/common';
import { LOGGER, type Logger } from '@assemblr/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiTokenVerifier } from '../auth/api-token.verifier';
import { type Problem, sendProblem, toProblem } from './problem-document.util';

/**
 * What of an unexpected error reaches the log: never a driver error's query parameters (they may hold a
 * data source's connection string or headers).
 */
export function loggableError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { value: String(err).slice(0, 500) };
  const { code } = err as { code?: unknown };
  return { type: err.name, message: err.message, ...(code !== undefined ? { code } : {}), stack: err.stack };
}

/** Renders every error as RFC 9457 problem+json; unknown errors become a 500 with an id, logged once. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly verifier: ApiTokenVerifier,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const problem = this.unknownApiRouteProblem(exception, request) ?? toProblem(exception);
    if (problem.status >= 500 && problem.status !== 503) {
      // the URL only: query strings and bodies may carry secrets
      this.logger.error({ err: loggableError(exception), errorId: problem.errorId, method: request?.method, url: request?.routeOptions?.url }, 'unhandled error');
    }
    if (reply.sent) return;
    sendProblem(reply, problem);
  }

  /** Every `/api/*` path needs the token, unknown ones too: without it they answer 401, not 404 (no route probing). */
  private unknownApiRouteProblem(exception: unknown, request: FastifyRequest | undefined): Problem | null {
    if (!(exception instanceof NotFoundException) || !request) return null;
    const path = request.url.split('?')[0];
    if (path !== '/api' && !path.startsWith('/api/')) return null;
    const failure = this.verifier.check(request.headers.authorization, undefined);
    return failure ? toProblem(failure) : null;
  }
}
