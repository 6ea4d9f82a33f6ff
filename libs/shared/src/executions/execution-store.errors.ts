export const EXECUTION_STORE_ERROR_CODES = ['execution_not_found', 'invalid_transition', 'already_running', 'metric_not_found'] as const;
export type ExecutionStoreErrorCode = (typeof EXECUTION_STORE_ERROR_CODES)[number];

/** A refused execution transition; `code` says which rule refused it. */
export class ExecutionStoreError extends Error {
  constructor(
    readonly code: ExecutionStoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ExecutionStoreError';
  }
}

export function isExecutionStoreError(err: unknown, code?: ExecutionStoreErrorCode): err is ExecutionStoreError {
  return err instanceof ExecutionStoreError && (code === undefined || err.code === code);
}
