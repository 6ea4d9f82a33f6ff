import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LOGGER, type Logger } from '@assemblr/shared';
import { ApiTokenVerifier } from '../auth/api-token.verifier';
import { PROBLEM_CONTENT_TYPE, toProblem } from '../common/problem-document.util';
import { ProblemException } from '../common/problem.exception';
import { loggableError } from '../common/problem.filter';
import { isUuid } from '../common/uuid-param.pipe';
import { MetricReader } from '../freshness/metric-reader.service';

/** Answers a raw request if it is one the fast path serves; false hands it on to Fastify/Nest. */
export type FastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

const DATA_URL = /^\/api\/dashboards\/([^/?#]*)\/data(?:\?.*)?$/;
const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * A Fastify `serverFactory` whose HTTP server offers each request to the fast path first. The fast
 * path is installed once the Nest app exists (`holder.fastPath`).
 */
export function fastPathServerFactory(holder: { fastPath?: FastPath }) {
  return (handler: (req: IncomingMessage, res: ServerResponse) => void): Server =>
    createServer((req, res) => {
      if (!holder.fastPath?.(req, res)) handler(req, res);
    });
}

/**
 * The hot route `GET /api/dashboards/:id/data` without Fastify's hook chain and Nest's pipeline (the
 * cost of which halved the throughput of a warm read): the same auth check (ApiTokenVerifier), the same
 * id validation and the same problem+json documents as the Nest route, which stays registered for
 * OpenAPI and is what any other method or shape of URL reaches. A warm dashboard is answered
 * synchronously from memory.
 */
export function createDashboardDataFastPath(app: NestFastifyApplication): FastPath {
  const verifier = app.get(ApiTokenVerifier);
  const reader = app.get(MetricReader);
  const logger = app.get<Logger>(LOGGER);

  const send = (res: ServerResponse, status: number, type: string, body: string) => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  const fail = (res: ServerResponse, err: unknown) => {
    const problem = toProblem(err);
    if (problem.status >= 500 && problem.status !== 503) logger.error({ err: loggableError(err), errorId: problem.errorId, url: '/api/dashboards/:id/data' }, 'unhandled error');
    if (!res.headersSent) send(res, problem.status, PROBLEM_CONTENT_TYPE, JSON.stringify(problem));
  };

  return (req, res) => {
    if (req.method !== 'GET' || !req.url?.startsWith('/api/dashboards/')) return false;
    const match = DATA_URL.exec(req.url);
    if (!match) return false;
    try {
      const denied = verifier.check(req.headers.authorization, undefined);
      if (denied) throw denied;
      const id = match[1];
      if (!isUuid(id)) throw ProblemException.malformedId('id');
      const warm = reader.tryReadDashboardJson(id.toLowerCase());
      if (warm !== undefined) send(res, 200, JSON_TYPE, warm);
      else reader.readDashboardJson(id.toLowerCase()).then((body) => send(res, 200, JSON_TYPE, body), (err: unknown) => fail(res, err));
    } catch (err) {
      fail(res, err);
    }
    return true;
  };
}
