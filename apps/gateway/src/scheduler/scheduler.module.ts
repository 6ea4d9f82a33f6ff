import { Module } from '@nestjs/common';
import { SchedulerClientService } from './scheduler-client.service';
import { SchedulerController } from './scheduler.controller';

/** `POST|GET /api/scheduler/run`: forwards a sweep to the scheduler service over NATS. */
@Module({
  controllers: [SchedulerController],
  providers: [SchedulerClientService],
})
export class SchedulerModule {}
