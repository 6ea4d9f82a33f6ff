import { Inject, Injectable } from '@nestjs/common';
import type { ExecutionRecord, ExecutionStore, ExecutionTrigger } from '@assemblr/shared';
import type { ExecutorConfig } from '../executor.config';
import { EXECUTOR_CONFIG, EXECUTOR_STORE } from '../executor.tokens';
import { Batcher, batchOptions } from './batcher';

type StartItem = { metricId: string; trigger: ExecutionTrigger & { id: string } };

/**
 * The two writes of every run, group-committed across concurrent runs: under load one INSERT starts
 * many executions and one UPDATE completes many, each item answered (or refused) on its own.
 */
@Injectable()
export class BatchedExecutions {
  private readonly starts: Batcher<StartItem, ExecutionRecord>;
  private readonly completes: Batcher<{ id: string; result: unknown }, ExecutionRecord>;

  constructor(@Inject(EXECUTOR_STORE) store: ExecutionStore, @Inject(EXECUTOR_CONFIG) config: ExecutorConfig) {
    this.starts = new Batcher<StartItem, ExecutionRecord>((items) => store.startExecutions(items), batchOptions(config));
    this.completes = new Batcher<{ id: string; result: unknown }, ExecutionRecord>((items) => store.completeExecutions(items), batchOptions(config));
  }

  /** See ExecutionStore.startExecution. */
  start(metricId: string, trigger: ExecutionTrigger & { id: string }): Promise<ExecutionRecord> {
    return this.starts.submit({ metricId, trigger });
  }

  /** See ExecutionStore.completeExecution. */
  complete(id: string, result: unknown): Promise<ExecutionRecord> {
    return this.completes.submit({ id, result });
  }
}
