import { Module } from '@nestjs/common';
import { ChangeBus } from './change-bus.service';
import { MetricEventsListener } from './metric-events.listener';
import { MetricOutcomes } from './metric-outcomes.service';
import { ReadModelRepository } from './read-model.repository';
import { ReadModelService } from './read-model.service';
import { PgChangeListener } from './pg-change.listener';
import { RevalidatorService } from './revalidator.service';

/** The in-memory read model: caches, definition-change bus, run-event listener, revalidation. */
@Module({
  providers: [ChangeBus, MetricOutcomes, ReadModelRepository, ReadModelService, MetricEventsListener, RevalidatorService, PgChangeListener],
  exports: [ChangeBus, MetricOutcomes, ReadModelService],
})
export class ReadModelModule {}
