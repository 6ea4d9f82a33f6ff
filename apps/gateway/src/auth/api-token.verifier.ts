import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ProblemException } from '../common/problem.exception';
import type { GatewayConfig } from '../gateway.config';
import { GATEWAY_CONFIG } from '../gateway.tokens';
import type { AuthMode } from './auth.decorators';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Constant-time comparison of a presented secret with the expected one. */
export function secretMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** The one check of `Authorization: Bearer …`, shared by the Nest guard and the lean dashboard-data route. */
@Injectable()
export class ApiTokenVerifier {
  private readonly apiToken: string;
  private readonly cronSecret: string | undefined;
  private readonly apiDigest: Buffer;
  /** `Bearer <token>` as clients usually send it: compared without hashing on the hot path. */
  private readonly canonicalHeader: Buffer;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.apiToken = config.ASSEMBLR_API_TOKEN;
    this.cronSecret = config.CRON_SECRET;
    this.apiDigest = digest(this.apiToken);
    this.canonicalHeader = Buffer.from(`Bearer ${this.apiToken}`);
  }

  /** Null when the header carries an accepted token; otherwise the 401 to answer. */
  check(header: string | string[] | undefined, mode: Exclude<AuthMode, 'public'> | undefined): ProblemException | null {
    // constant time for equal lengths; the length of the token is no secret
    if (typeof header === 'string' && header.length === this.canonicalHeader.length && timingSafeEqual(Buffer.from(header), this.canonicalHeader)) return null;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) return new ProblemException('unauthorized', 'missing bearer token (Authorization: Bearer <token>)');
    const presented = digest(match[1]);
    const ok = timingSafeEqual(presented, this.apiDigest) || (mode === 'cron' && this.cronSecret !== undefined && secretMatches(match[1], this.cronSecret));
    return ok ? null : new ProblemException('unauthorized', 'invalid bearer token');
  }
}
