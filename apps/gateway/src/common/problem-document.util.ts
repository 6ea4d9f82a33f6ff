import { randomUUID } from 'node:crypto';
import { HttpException } from '@nestjs/common';
import { isExecutionStoreError, ServiceError } from '@assemblr/shared';
import type { FastifyReply } from 'fastify';
import { type ProblemCode, ProblemException } from './problem.exception';
import { problemStatus } from './problem-status.util';

/** An RFC 9457 problem document as the API returns it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: { path: string; message: string }[];
  errorId?: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** Maps any thrown value to a problem document; unknown errors become a 500 carrying an id to quote. */
export function toProblem(exception: unknown): Problem {
  if (exception instanceof ProblemException) return buildProblem(exception.code, exception.detail, exception.errors, exception.extensions);
  if (exception instanceof ServiceError) {
    switch (exception.code) {
      case 'invalid_request':
        return buildProblem('validation_failed', exception.message, exception.errors);
      case 'not_found':
        return buildProblem('not_found', exception.message);
      case 'unavailable':
        return buildProblem('unavailable', exception.message);
      case 'internal':
        return internalProblem();
    }
  }
  if (isExecutionStoreError(exception, 'execution_not_found') || isExecutionStoreError(exception, 'metric_not_found')) {
    return buildProblem('not_found', exception.message);
  }
  const fastifyCode = (exception as { code?: string })?.code;
  if (typeof fastifyCode === 'string' && fastifyCode.startsWith('FST_')) return fromFastify(fastifyCode, exception as Error);
  if (exception instanceof HttpException) return fromHttpException(exception);
  return internalProblem();
}

/** Writes a problem document (the one way every route, Nest or lean, answers an error). */
export function sendProblem(reply: FastifyReply, problem: Problem): void {
  void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

function fromFastify(code: string, error: Error): Problem {
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return buildProblem('payload_too_large', 'the request body exceeds the size limit');
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return buildProblem('unsupported_media_type', 'send JSON (content-type: application/json)');
  if (code.startsWith('FST_ERR_CTP') || error instanceof SyntaxError) {
    return buildProblem('validation_failed', 'the body is not valid JSON', [{ path: '(body)', message: 'is not valid JSON' }]);
  }
  const status = (error as { statusCode?: number }).statusCode;
  if (status && status >= 400 && status < 500) return { type: 'about:blank', title: 'Bad request', status, detail: error.message };
  return internalProblem();
}

function fromHttpException(exception: HttpException): Problem {
  const status = exception.getStatus();
  if (status === 404) return buildProblem('not_found', 'no such route');
  if (status === 413) return buildProblem('payload_too_large', 'the request body exceeds the size limit');
  if (status === 415) return buildProblem('unsupported_media_type', 'send JSON (content-type: application/json)');
  if (status === 401) return buildProblem('unauthorized', exception.message);
  if (status >= 400 && status < 500) {
    const body = exception.getResponse();
    const text = `${exception.message} ${typeof body === 'string' ? body : String((body as { message?: unknown })?.message ?? '')}`;
    if ((exception as { cause?: unknown }).cause instanceof SyntaxError || /json/i.test(text)) {
      return buildProblem('validation_failed', 'the body is not valid JSON', [{ path: '(body)', message: 'is not valid JSON' }]);
    }
    return { type: 'about:blank', title: 'Bad request', status, detail: exception.message };
  }
  return internalProblem();
}

export function buildProblem(code: ProblemCode, detail: string, errors?: { path: string; message: string }[], extensions?: Record<string, unknown>): Problem {
  const { status, title } = problemStatus(code);
  return {
    ...extensions,
    type: `https://assemblr.dev/problems/${code.replace(/_/g, '-')}`,
    title,
    status,
    detail,
    ...(errors?.length ? { errors } : {}),
  };
}

function internalProblem(): Problem {
  const errorId = randomUUID();
  return { ...buildProblem('internal', `an unexpected error occurred; quote error id ${errorId}`), errorId };
}
