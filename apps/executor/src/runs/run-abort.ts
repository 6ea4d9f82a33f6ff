import type { FailureKind } from '@assemblr/shared';

/** Why a run was stopped from outside the integration. */
export class RunAbort extends Error {
  constructor(
    readonly kind: Extract<FailureKind, 'timeout' | 'lease_lost' | 'shutdown'>,
    message: string,
  ) {
    super(message);
    this.name = 'RunAbort';
  }
}
