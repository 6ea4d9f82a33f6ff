import { Module } from '@nestjs/common';
import { ExecutionStore } from '@assemblr/shared';
import { DataSource } from 'typeorm';
import { EXECUTOR_DB, EXECUTOR_STORE } from '../executor.tokens';
import { BatchedExecutions } from './batched-executions.service';
import { namedStatements, type RowQueryable } from './named-statements';

/** The executor's view of Postgres: named statements on the shared pool, and an ExecutionStore over them. */
@Module({
  providers: [
    { provide: EXECUTOR_DB, useFactory: (ds: DataSource) => namedStatements(ds), inject: [DataSource] },
    // the store only ever calls query(sql, params) and reads rows, which is what RowQueryable gives
    { provide: EXECUTOR_STORE, useFactory: (db: RowQueryable) => new ExecutionStore(db as unknown as Pick<DataSource, 'query'>), inject: [EXECUTOR_DB] },
    BatchedExecutions,
  ],
  exports: [EXECUTOR_DB, EXECUTOR_STORE, BatchedExecutions],
})
export class ExecutorDbModule {}
