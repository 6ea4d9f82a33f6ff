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

/** Rejects with the signal's reason once it aborts: lets a run end even if its integration ignores the signal. */
export function whenAborted(signal: AbortSignal): { promise: Promise<never>; dispose(): void } {
  let onAbort = () => undefined as void;
  const promise = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(signal.reason as Error);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  promise.catch(() => undefined);
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}
