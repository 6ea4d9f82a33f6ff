import { Module } from '@nestjs/common';
import { ExecutorDbModule } from '../database/executor-db.module';
import { LatestModule } from '../latest/latest.module';
import { LeasesModule } from '../leases/leases.module';
import { FreshnessResponder } from './freshness.responder';
import { FreshnessService } from './freshness.service';

@Module({ imports: [ExecutorDbModule, LatestModule, LeasesModule], providers: [FreshnessService, FreshnessResponder], exports: [FreshnessService] })
export class FreshnessModule {}
