import { randomBytes } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats, deleteNatsResources } from '../../libs/shared/src/nats/nats-connection';
import { natsNames, type NatsNames } from '../../libs/shared/src/nats/nats-names';

export const TEST_NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** Random prefix so every test's subjects, stream and buckets are its own. */
export function testNatsNames(): NatsNames {
  return natsNames(`t${randomBytes(5).toString('hex')}`);
}

export interface TestNats {
  nc: NatsConnection;
  names: NatsNames;
  /** Deletes the prefixed stream and buckets and closes the connection. */
  cleanup(): Promise<void>;
}

export async function createTestNats(): Promise<TestNats> {
  const nc = await connectNats(TEST_NATS_URL, 'assemblr-test');
  const names = testNatsNames();
  return {
    nc,
    names,
    cleanup: async () => {
      await deleteNatsResources(nc, names);
      await nc.drain();
    },
  };
}
