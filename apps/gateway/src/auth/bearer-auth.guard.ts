import { timingSafeEqual, createHash } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ProblemException } from '../common/problem.exception';
import type { GatewayConfig } from '../gateway.config';
import { GATEWAY_CONFIG } from '../gateway.tokens';
import { AUTH_MODE_KEY, type AuthMode } from './auth.decorators';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Constant-time comparison of a presented secret with the expected one. */
export function secretMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** Bearer-token auth on every route unless marked @Public(); @AllowCronSecret() also accepts CRON_SECRET. */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  private readonly apiToken: string;
  private readonly cronSecret: string | undefined;

  constructor(
    private readonly reflector: Reflector,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.apiToken = config.ASSEMBLR_API_TOKEN;
    this.cronSecret = config.CRON_SECRET;
  }

  canActivate(context: ExecutionContext): boolean {
    const mode = this.reflector.getAllAndOverride<AuthMode | undefined>(AUTH_MODE_KEY, [context.getHandler(), context.getClass()]);
    if (mode === 'public') return true;
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) throw new ProblemException('unauthorized', 'missing bearer token (Authorization: Bearer <token>)');
    const presented = match[1];
    const ok = secretMatches(presented, this.apiToken) || (mode === 'cron' && this.cronSecret !== undefined && secretMatches(presented, this.cronSecret));
    if (!ok) throw new ProblemException('unauthorized', 'invalid bearer token');
    return true;
  }
}
