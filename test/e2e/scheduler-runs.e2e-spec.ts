import { Kvm } from '@nats-io/kv';
import type { ExecutionPolicy } from '../../libs/shared/src';
import { expectEventually } from '../support/expect-eventually';
import { publishRunRequest, runRequest } from '../support/run-requests';
import { TestStack } from '../support/stack';

// A yearly slot: every run of this test falls in the same slot, whatever the minute.
const yearly: Partial<ExecutionPolicy> = { mode: 'scheduled', schedule: { cron: '0 0 1 1 *', timezone: 'Europe/Berlin' } };

interface ExecutionRow {
  status: string;
  triggered_by: string;
  reason: string;
}

describe('scheduled runs end to end (gateway + executor + scheduler)', () => {
  let stack: TestStack;

  const executions = (metricId: string): Promise<ExecutionRow[]> =>
    stack.db.dataSource.query(`SELECT status, triggered_by, reason FROM metric_executions WHERE metric_id = $1 ORDER BY requested_at`, [metricId]);
  const metricRow = async (metricId: string): Promise<{ next_run_at: Date | null; consecutive_failures: number }> =>
    (await stack.db.dataSource.query(`SELECT next_run_at, consecutive_failures FROM metrics WHERE id = $1`, [metricId]))[0];
  const makeDue = (metricId: string) => stack.db.dataSource.query(`UPDATE metrics SET next_run_at = now() - interval '1 second' WHERE id = $1`, [metricId]);

  describe('with the timer', () => {
    beforeAll(async () => {
      stack = await TestStack.start({ services: ['gateway', 'executor', 'scheduler'], env: { SCHEDULER_SWEEP_INTERVAL_MS: '100' } });
    });
    afterAll(async () => {
      await stack.close();
    });

    it('runs a scheduled metric with no reader and no UI, recorded system / schedule', async () => {
      const metricId = await stack.factories.metric({ policy: yearly, definition: { value: 7 }, nextRunAt: new Date() });

      await expectEventually(async () => expect(await executions(metricId)).toEqual([{ status: 'completed', triggered_by: 'system', reason: 'schedule' }]));
      const row = await metricRow(metricId);
      // the next look is the next yearly slot: 1 January, 00:00 Berlin time
      expect(row.next_run_at!.getTime()).toBeGreaterThan(Date.now());
      expect(row.next_run_at!.toISOString()).toMatch(/-12-31T23:00:00\.000Z$/);
      const [result] = await stack.db.dataSource.query(`SELECT result FROM metric_executions WHERE metric_id = $1`, [metricId]);
      expect(result.result).toEqual({ value: 7 });
    });

    it('through the API: a scheduled metric runs by itself; nextRunAt and consecutiveFailures track it', async () => {
      const dataSourceId = (await stack.api('POST', '/api/data-sources', { name: 'demo', kind: 'demo', config: {} })).body.id;
      const create = (name: string, definition: Record<string, unknown>) =>
        stack.api('POST', '/api/metrics', { name, dataSourceId, definition, executionPolicy: { mode: 'scheduled', schedule: yearly.schedule } });
      const ok = await create('Scheduled ok', { value: 5 });
      const failing = await create('Scheduled failing', { fail: true });
      expect([ok.status, failing.status]).toEqual([201, 201]);
      expect(ok.body.consecutiveFailures).toBe(0);

      const nextYear = /-12-31T23:00:00\.000Z$/;
      await expectEventually(async () => {
        const [a, b] = await Promise.all([stack.api('GET', `/api/metrics/${ok.body.id}`), stack.api('GET', `/api/metrics/${failing.body.id}`)]);
        expect(a.body).toMatchObject({ consecutiveFailures: 0, nextRunAt: expect.stringMatching(nextYear) });
        expect(b.body).toMatchObject({ consecutiveFailures: 1, nextRunAt: expect.stringMatching(nextYear) });
      });
      // the failing metric's verdict can land before the ok metric's run has completed
      await expectEventually(async () => {
        const history = await stack.api('GET', `/api/metrics/${ok.body.id}/executions`);
        expect(history.body).toEqual([expect.objectContaining({ status: 'completed', triggeredBy: 'system', reason: 'schedule' })]);
      });
      const view = await stack.api('GET', `/api/metrics/${ok.body.id}/result`);
      expect(view.body).toMatchObject({ state: 'fresh', result: { value: 5 } });

      // switching to on_demand takes it off the schedule
      const patched = await stack.api('PATCH', `/api/metrics/${ok.body.id}`, { executionPolicy: { mode: 'on_demand' } });
      expect(patched.status).toBe(200);
      expect(patched.body.nextRunAt ?? null).toBeNull();
    });

    it('leaves on-demand metrics alone', async () => {
      const metricId = await stack.factories.metric({ definition: { value: 1 } });
      const scheduled = await stack.factories.metric({ policy: yearly, nextRunAt: new Date() });
      // once the scheduled one has run, the sweeps that passed over the on-demand one are done too
      await expectEventually(async () => expect(await executions(scheduled)).toHaveLength(1));
      expect(await executions(metricId)).toEqual([]);
    });
  });

  describe('through the cron endpoint', () => {
    beforeAll(async () => {
      stack = await TestStack.start({ services: ['gateway', 'executor', 'scheduler'], env: { SCHEDULER_SWEEP_INTERVAL_MS: '0' } });
    });
    afterAll(async () => {
      await stack.close();
    });

    it('triggers a due metric, then skips it while it is fresh for its slot', async () => {
      const metricId = await stack.factories.metric({ policy: yearly, nextRunAt: new Date(Date.now() - 1000) });
      const first = await stack.api('POST', '/api/scheduler/run', undefined, { token: stack.env.CRON_SECRET! });
      expect(first.body).toEqual({ checked: 1, triggered: 1, skipped: 0, triggeredMetricIds: [metricId] });
      await expectEventually(async () => expect(await executions(metricId)).toEqual([{ status: 'completed', triggered_by: 'system', reason: 'schedule' }]));

      // due again (an operator's edit): the completed result already serves this slot
      await makeDue(metricId);
      const again = await stack.api('GET', '/api/scheduler/run');
      expect(again.body).toEqual({ checked: 1, triggered: 0, skipped: 1, triggeredMetricIds: [] });
      expect(await executions(metricId)).toHaveLength(1);
    });

    it('backs off after a failure and resumes once a run succeeds', async () => {
      const metricId = await stack.factories.metric({ policy: yearly, definition: { fail: true }, nextRunAt: new Date(Date.now() - 1000) });
      await stack.api('POST', '/api/scheduler/run');
      await expectEventually(async () => expect((await metricRow(metricId)).consecutive_failures).toBe(1));
      expect(await executions(metricId)).toEqual([{ status: 'failed', triggered_by: 'system', reason: 'schedule' }]);

      // due again within the 60 s backoff: skipped, and the next look is not before the backoff ends
      await makeDue(metricId);
      const backingOff = await stack.api('POST', '/api/scheduler/run');
      expect(backingOff.body).toMatchObject({ checked: 1, triggered: 0, skipped: 1 });
      expect((await metricRow(metricId)).next_run_at!.getTime()).toBeGreaterThan(Date.now() + 50_000);

      // a successful (manual) run resets the streak; the next slot then runs again (a slot is requested
      // once, so the test moves the metric to another yearly slot rather than wait for the next one)
      await stack.db.dataSource.query(`UPDATE metrics SET definition = '{"value": 3}' WHERE id = $1`, [metricId]);
      await publishRunRequest(stack.nc, stack.names, runRequest(metricId));
      await expectEventually(async () => expect((await metricRow(metricId)).consecutive_failures).toBe(0));
      // the executor lets go of the lease just after the commit; until then the metric counts as running
      const leases = await new Kvm(stack.nc).open(stack.names.leasesBucket);
      await expectEventually(async () => expect((await leases.get(metricId))?.operation).not.toBe('PUT'));
      await stack.db.dataSource.query(
        `UPDATE metrics SET execution_policy = jsonb_set(jsonb_set(execution_policy, '{ttlSeconds}', '0'), '{schedule,cron}', '"0 0 1 2 *"') WHERE id = $1`,
        [metricId],
      );
      await makeDue(metricId);
      const resumed = await stack.api('POST', '/api/scheduler/run');
      expect(resumed.body).toMatchObject({ checked: 1, triggered: 1, triggeredMetricIds: [metricId] });
    });
  });
});
