import { randomUUID } from 'node:crypto';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { isExecutionStoreError, LOGGER, type Logger, ServiceError } from '@assemblr/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ProblemCode, ProblemException } from './problem.exception';
import { problemStatus } from './problem-status.util';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: { path: string; message: string }[];
  errorId?: string;
}

/** Renders every error as RFC 9457 problem+json; unknown errors become a 500 with an id, logged once. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const problem = this.toProblem(exception);
    if (problem.status >= 500 && problem.status !== 503) {
      this.logger.error({ err: exception, errorId: problem.errorId, method: request?.method, url: request?.url }, 'unhandled error');
    }
    if (reply.sent) return;
    void reply.status(problem.status).header('content-type', 'application/problem+json; charset=utf-8').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown): Problem {
    if (exception instanceof ProblemException) return this.build(exception.code, exception.detail, exception.errors);
    if (exception instanceof ServiceError) {
      switch (exception.code) {
        case 'invalid_request':
          return this.build('validation_failed', exception.message, exception.errors);
        case 'not_found':
          return this.build('not_found', exception.message);
        case 'unavailable':
          return this.build('unavailable', exception.message);
        case 'internal':
          return this.internal();
      }
    }
    if (isExecutionStoreError(exception, 'execution_not_found') || isExecutionStoreError(exception, 'metric_not_found')) {
      return this.build('not_found', exception.message);
    }
    const fastifyCode = (exception as { code?: string })?.code;
    if (typeof fastifyCode === 'string' && fastifyCode.startsWith('FST_')) return this.fromFastify(fastifyCode, exception as Error);
    if (exception instanceof HttpException) return this.fromHttpException(exception);
    return this.internal();
  }

  private fromFastify(code: string, error: Error): Problem {
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return this.build('payload_too_large', 'the request body exceeds the size limit');
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return this.build('unsupported_media_type', 'send JSON (content-type: application/json)');
    if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return this.build('validation_failed', 'the JSON body is empty', [{ path: '(body)', message: 'must not be empty' }]);
    if (code.startsWith('FST_ERR_CTP') || error instanceof SyntaxError) {
      return this.build('validation_failed', 'the body is not valid JSON', [{ path: '(body)', message: 'is not valid JSON' }]);
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) return { type: 'about:blank', title: 'Bad request', status, detail: error.message };
    return this.internal();
  }

  private fromHttpException(exception: HttpException): Problem {
    const status = exception.getStatus();
    if (status === 404) return this.build('not_found', 'no such route');
    if (status === 413) return this.build('payload_too_large', 'the request body exceeds the size limit');
    if (status === 401) return this.build('unauthorized', exception.message);
    if (status >= 400 && status < 500) {
      const body = exception.getResponse();
      const cause = (exception as { cause?: unknown }).cause;
      if (cause instanceof SyntaxError || /json/i.test(String((body as { message?: unknown })?.message ?? ''))) {
        return this.build('validation_failed', 'the body is not valid JSON', [{ path: '(body)', message: 'is not valid JSON' }]);
      }
      return { type: 'about:blank', title: exception.name, status, detail: exception.message };
    }
    return this.internal();
  }

  private build(code: ProblemCode, detail: string, errors?: { path: string; message: string }[]): Problem {
    const { status, title } = problemStatus(code);
    return { type: `https://assemblr.dev/problems/${code.replace(/_/g, '-')}`, title, status, detail, ...(errors?.length ? { errors } : {}) };
  }

  private internal(): Problem {
    const errorId = randomUUID();
    return { ...this.build('internal', `an unexpected error occurred; quote error id ${errorId}`), errorId };
  }
}
