/** Injection tokens of the executor app. */
export const EXECUTOR_CONFIG = Symbol('EXECUTOR_CONFIG');
/** The `metric_leases` KV bucket. */
export const LEASE_BUCKET = Symbol('LEASE_BUCKET');
/** The `metric_latest` KV bucket. */
export const LATEST_BUCKET = Symbol('LATEST_BUCKET');
/** This process's worker id (hostname:pid:random): written into leases and execution rows. */
export const WORKER_ID = Symbol('WORKER_ID');
