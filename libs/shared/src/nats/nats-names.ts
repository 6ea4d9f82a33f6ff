/**
 * Every NATS name the layer uses (DESIGN.md "NATS contract"). With the default empty prefix these are
 * exactly the documented names; tests and side-by-side deployments set `ASSEMBLR_NATS_PREFIX` so that
 * subjects, the stream, its consumer and the KV buckets never collide.
 */
export interface NatsNames {
  readonly prefix: string;
  /** JetStream stream holding run requests (work-queue retention). */
  readonly runStream: string;
  /** Durable pull consumer shared by every executor replica. */
  readonly runConsumer: string;
  /** Subject filter of the run stream: `metrics.run.>`. */
  readonly runSubjects: string;
  runSubject(metricId: string): string;
  /** KV bucket of single-flight leases, keyed by metric id. */
  readonly leasesBucket: string;
  /** KV bucket of the latest-execution read model, keyed by metric id. */
  readonly latestBucket: string;
  eventsSubject(metricId: string): string;
  /** `metrics.events.>` for subscribers of every metric. */
  readonly eventsWildcard: string;
  /** Published by the gateway when a metric, data source or dashboard definition changes. */
  changedSubject(kind: 'metric' | 'dashboard' | 'data_source', id: string): string;
  readonly changedWildcard: string;
  readonly schedulerSweep: string;
  readonly chatAsk: string;
  readonly chatSpec: string;
  readonly freshness: string;
}

/** Queue groups: replicas of one service share request/reply subjects through these. */
export const QUEUE_GROUPS = { scheduler: 'scheduler', chat: 'chat', executor: 'executor' } as const;

export function natsNames(prefix = ''): NatsNames {
  if (prefix && !/^[A-Za-z0-9_-]+$/.test(prefix)) {
    throw new Error(`NATS prefix "${prefix}" may only contain letters, digits, "_" and "-"`);
  }
  const s = (subject: string) => (prefix ? `${prefix}.${subject}` : subject);
  const n = (name: string) => (prefix ? `${prefix}_${name}` : name);
  return Object.freeze({
    prefix,
    runStream: n('METRIC_RUNS'),
    runConsumer: 'executors',
    runSubjects: s('metrics.run.>'),
    runSubject: (metricId: string) => s(`metrics.run.${metricId}`),
    leasesBucket: n('metric_leases'),
    latestBucket: n('metric_latest'),
    eventsSubject: (metricId: string) => s(`metrics.events.${metricId}`),
    eventsWildcard: s('metrics.events.>'),
    changedSubject: (kind: 'metric' | 'dashboard' | 'data_source', id: string) => s(`assemblr.changed.${kind}.${id}`),
    changedWildcard: s('assemblr.changed.>'),
    schedulerSweep: s('scheduler.sweep'),
    chatAsk: s('chat.ask'),
    chatSpec: s('chat.spec'),
    freshness: s('metrics.freshness'),
  });
}
