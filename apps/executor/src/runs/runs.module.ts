import { Module } from '@nestjs/common';
import { IntegrationsModule } from '../integrations/integrations.module';
import { LatestModule } from '../latest/latest.module';
import { LeasesModule } from '../leases/leases.module';
import { ExecutorStats } from './executor-stats.service';
import { MetricRunService } from './metric-run.service';
import { OutcomePublisher } from './outcome-publisher.service';
import { RecentFinishes } from './recent-finishes.service';
import { RunConsumer } from './run-consumer.service';
import { RunHandler } from './run-handler.service';
import { RunRepository } from './run-repository';

/** Consuming run requests and running metrics: the executor's main job. */
@Module({
  imports: [LeasesModule, LatestModule, IntegrationsModule],
  providers: [ExecutorStats, RunRepository, RecentFinishes, OutcomePublisher, MetricRunService, RunHandler, RunConsumer],
  exports: [ExecutorStats, MetricRunService],
})
export class RunsModule {}
