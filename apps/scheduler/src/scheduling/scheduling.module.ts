import { Module } from '@nestjs/common';
import { LeaseReaderService } from './lease-reader.service';
import { RunRequestPublisher } from './run-request.publisher';
import { SchedulingService } from './scheduling.service';
import { SweepRequestConsumer } from './sweep-request.consumer';
import { SweepTimer } from './sweep.timer';

/** Scheduled runs: the decision rules, sweeps on a timer and on `scheduler.sweep` requests. */
@Module({
  providers: [SchedulingService, LeaseReaderService, RunRequestPublisher, SweepTimer, SweepRequestConsumer],
  exports: [SchedulingService],
})
export class SchedulingModule {}
