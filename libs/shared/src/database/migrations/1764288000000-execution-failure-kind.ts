import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Why a failed execution failed. Infrastructure failures (`abandoned`, `lease_lost`, `shutdown`) do not
 * answer the requests that were waiting for the run: the executor redelivers those; `error` and `timeout`
 * are the metric's own verdict. NULL (older or hand-written rows) counts as a verdict.
 */
export class ExecutionFailureKind1764288000000 implements MigrationInterface {
  name = 'ExecutionFailureKind1764288000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE metric_executions ADD COLUMN failure_kind text
        CHECK (failure_kind IN ('error', 'timeout', 'lease_lost', 'abandoned', 'shutdown'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE metric_executions DROP COLUMN failure_kind`);
  }
}
