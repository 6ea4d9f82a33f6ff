import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { NatsNames } from './nats-names';

/**
 * Connects to a comma-separated list of NATS servers, reconnecting forever. `asyncTraces` off (the
 * default) stops nats.js capturing a stack trace for every request and JetStream publish (tens of µs
 * each on the hot paths); timeout errors then lack the caller's frames.
 */
export async function connectNats(url: string, name: string, options: { asyncTraces?: boolean } = {}): Promise<NatsConnection> {
  return connect({
    servers: url.split(',').map((s) => s.trim()).filter(Boolean),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    timeout: 5000,
    noAsyncTraces: !options.asyncTraces,
  });
}

export interface RunStreamOptions {
  /** Window inside which identical `Nats-Msg-Id`s are dropped. */
  duplicateWindowMs: number;
  /** A request older than this is discarded unrun. */
  maxAgeMs: number;
}

export const DEFAULT_RUN_STREAM: RunStreamOptions = { duplicateWindowMs: 120_000, maxAgeMs: 24 * 3600_000 };

const ns = (ms: number) => ms * 1_000_000;

/** Creates the run stream, or updates its mutable settings; safe to call from every replica at start. */
export async function ensureRunStream(
  jsm: JetStreamManager,
  names: NatsNames,
  options: RunStreamOptions = DEFAULT_RUN_STREAM,
): Promise<void> {
  const config = {
    name: names.runStream,
    subjects: [names.runSubjects],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    duplicate_window: ns(options.duplicateWindowMs),
    max_age: ns(options.maxAgeMs),
  };
  try {
    await jsm.streams.info(names.runStream);
    await jsm.streams.update(names.runStream, {
      subjects: config.subjects,
      duplicate_window: config.duplicate_window,
      max_age: config.max_age,
    });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    try {
      await jsm.streams.add(config);
    } catch (addErr) {
      // another replica may have created it between our info and add: then it exists now
      if (!(await streamExists(jsm, names.runStream))) throw addErr;
    }
  }
}

async function streamExists(jsm: JetStreamManager, name: string): Promise<boolean> {
  try {
    await jsm.streams.info(name);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

function isNotFound(err: unknown): boolean {
  return err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound;
}

/** Opens (creating if needed) the lease bucket with its TTL = lease time. */
export async function openLeaseBucket(nc: NatsConnection, names: NatsNames, leaseTtlMs: number): Promise<KV> {
  return new Kvm(nc).create(names.leasesBucket, { ttl: leaseTtlMs, history: 1 });
}

/** Opens (creating if needed) the `metric_latest` read-model bucket. */
export async function openLatestBucket(nc: NatsConnection, names: NatsNames): Promise<KV> {
  return new Kvm(nc).create(names.latestBucket, { history: 1 });
}

/** Deletes every stream and bucket of a prefixed name set: test and tooling clean-up. */
export async function deleteNatsResources(nc: NatsConnection, names: NatsNames): Promise<void> {
  if (!names.prefix) throw new Error('refusing to delete the unprefixed production resources');
  const jsm = await jetstreamManager(nc);
  for (const stream of [names.runStream, `KV_${names.leasesBucket}`, `KV_${names.latestBucket}`]) {
    try {
      await jsm.streams.delete(stream);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
