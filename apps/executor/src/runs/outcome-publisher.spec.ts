import { type ExecutionRecord, METRIC_EVENT_RESULT_MAX_BYTES, metricEventSchema } from '@assemblr/shared';
import { encodeMetricEvent, toMetricEvent } from './outcome-publisher.service';

const record = (result: unknown): ExecutionRecord => ({
  id: '00000000-0000-4000-8000-000000000002',
  metricId: '00000000-0000-4000-8000-000000000001',
  status: 'completed',
  triggeredBy: 'system',
  reason: 'cold_load',
  requestedAt: new Date('2026-01-01T00:00:00Z'),
  startedAt: new Date('2026-01-01T00:00:01Z'),
  completedAt: new Date('2026-01-01T00:00:02Z'),
  result,
  error: null,
  failureKind: null,
  requestId: null,
  workerId: 'w1',
  attempt: 1,
  durationMs: 1000,
});
const decode = (json: string) => metricEventSchema.parse(JSON.parse(json));

describe('encodeMetricEvent', () => {
  it('carries a small completed result inline (null included)', () => {
    expect(decode(encodeMetricEvent('completed', record({ value: 'ü', n: [1, 2] })))).toEqual({ ...toMetricEvent('completed', record(null)), result: { value: 'ü', n: [1, 2] } });
    expect(decode(encodeMetricEvent('completed', record(null))).result).toBeNull();
  });

  it('leaves out a result over the cap (in UTF-8 bytes) and any result of other event types', () => {
    const atCap = 'x'.repeat(METRIC_EVENT_RESULT_MAX_BYTES - 2); // its JSON adds two quotes
    expect(decode(encodeMetricEvent('completed', record(atCap))).result).toBe(atCap);
    const overInBytes = 'ü'.repeat(METRIC_EVENT_RESULT_MAX_BYTES / 2);
    expect(decode(encodeMetricEvent('completed', record(overInBytes)))).not.toHaveProperty('result');
    expect(decode(encodeMetricEvent('started', record(1)))).not.toHaveProperty('result');
  });
});
