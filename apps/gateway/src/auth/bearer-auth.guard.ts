import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ApiTokenVerifier } from './api-token.verifier';
import { AUTH_MODE_KEY, type AuthMode } from './auth.decorators';

export { secretMatches } from './api-token.verifier';

/** Bearer-token auth on every route unless marked @Public(); @AllowCronSecret() also accepts CRON_SECRET. */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: ApiTokenVerifier,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const mode = this.reflector.getAllAndOverride<AuthMode | undefined>(AUTH_MODE_KEY, [context.getHandler(), context.getClass()]);
    if (mode === 'public') return true;
    const failure = this.verifier.check(context.switchToHttp().getRequest<FastifyRequest>().headers.authorization, mode);
    if (failure) throw failure;
    return true;
  }
}
