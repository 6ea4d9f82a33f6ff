import { Module } from '@nestjs/common';
import { FreshnessModule } from '../freshness/freshness.module';
import { ReadModelModule } from '../read-model/read-model.module';
import { DashboardEventsService } from './dashboard-events.service';
import { DashboardsController } from './dashboards.controller';
import { DashboardsRepository } from './dashboards.repository';
import { DashboardsService } from './dashboards.service';

@Module({
  imports: [ReadModelModule, FreshnessModule],
  controllers: [DashboardsController],
  providers: [DashboardsRepository, DashboardsService, DashboardEventsService],
})
export class DashboardsModule {}
