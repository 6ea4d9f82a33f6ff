import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `pg_notify('assemblr_changed', '<kind>:<id>')` on hand edits, so caches honour them at once: any
 * update of an execution that keeps its status (the services only ever move status forward), inserts
 * of finished executions and deletes; definition edits of metrics (not the scheduler's `next_run_at`
 * or the failure streak); dashboards and their membership. The executor's and scheduler's hot writes
 * fire nothing.
 */
export class ChangeNotifications1764374400000 implements MigrationInterface {
  name = 'ChangeNotifications1764374400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION assemblr_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        row_data record;
      BEGIN
        IF TG_OP = 'DELETE' THEN row_data := OLD; ELSE row_data := NEW; END IF;
        IF TG_TABLE_NAME = 'metric_executions' THEN
          PERFORM pg_notify('assemblr_changed', 'metric:' || row_data.metric_id::text);
        ELSIF TG_TABLE_NAME = 'metrics' THEN
          PERFORM pg_notify('assemblr_changed', 'metric:' || row_data.id::text);
        ELSIF TG_TABLE_NAME = 'dashboards' THEN
          PERFORM pg_notify('assemblr_changed', 'dashboard:' || row_data.id::text);
        ELSIF TG_TABLE_NAME = 'dashboard_metrics' THEN
          PERFORM pg_notify('assemblr_changed', 'dashboard:' || row_data.dashboard_id::text);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER metric_executions_hand_edit AFTER UPDATE ON metric_executions
      FOR EACH ROW WHEN (OLD.status IS NOT DISTINCT FROM NEW.status) EXECUTE FUNCTION assemblr_notify_change()`);
    await q.query(`
      CREATE TRIGGER metric_executions_finished_insert AFTER INSERT ON metric_executions
      FOR EACH ROW WHEN (NEW.status IN ('completed', 'failed')) EXECUTE FUNCTION assemblr_notify_change()`);
    await q.query(`CREATE TRIGGER metric_executions_delete AFTER DELETE ON metric_executions FOR EACH ROW EXECUTE FUNCTION assemblr_notify_change()`);
    await q.query(`
      CREATE TRIGGER metrics_definition_edit AFTER UPDATE ON metrics FOR EACH ROW
      WHEN (OLD.execution_policy IS DISTINCT FROM NEW.execution_policy OR OLD.definition IS DISTINCT FROM NEW.definition
         OR OLD.name IS DISTINCT FROM NEW.name OR OLD.data_source_id IS DISTINCT FROM NEW.data_source_id)
      EXECUTE FUNCTION assemblr_notify_change()`);
    await q.query(`CREATE TRIGGER metrics_delete AFTER DELETE ON metrics FOR EACH ROW EXECUTE FUNCTION assemblr_notify_change()`);
    await q.query(`CREATE TRIGGER dashboards_edit AFTER UPDATE OR DELETE ON dashboards FOR EACH ROW EXECUTE FUNCTION assemblr_notify_change()`);
    await q.query(`CREATE TRIGGER dashboard_metrics_edit AFTER INSERT OR UPDATE OR DELETE ON dashboard_metrics FOR EACH ROW EXECUTE FUNCTION assemblr_notify_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [trigger, table] of [
      ['metric_executions_hand_edit', 'metric_executions'],
      ['metric_executions_finished_insert', 'metric_executions'],
      ['metric_executions_delete', 'metric_executions'],
      ['metrics_definition_edit', 'metrics'],
      ['metrics_delete', 'metrics'],
      ['dashboards_edit', 'dashboards'],
      ['dashboard_metrics_edit', 'dashboard_metrics'],
    ]) {
      await q.query(`DROP TRIGGER IF EXISTS ${trigger} ON ${table}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS assemblr_notify_change()`);
  }
}
