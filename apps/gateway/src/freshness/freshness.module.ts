import { Module } from '@nestjs/common';
import { ReadModelModule } from '../read-model/read-model.module';
import { CompletionWaiter } from './completion-waiter.service';
import { MetricReader } from './metric-reader.service';
import { RunRequester } from './run-requester.service';

/** The freshness engine: metric views, run requests, shared blocking waits. */
@Module({
  imports: [ReadModelModule],
  providers: [RunRequester, CompletionWaiter, MetricReader],
  exports: [MetricReader],
})
export class FreshnessModule {}
