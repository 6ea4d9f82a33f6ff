import { Module } from '@nestjs/common';
import { LeasesModule } from '../leases/leases.module';
import { RunsModule } from '../runs/runs.module';
import { ReaperService } from './reaper.service';

@Module({ imports: [LeasesModule, RunsModule], providers: [ReaperService], exports: [ReaperService] })
export class ReaperModule {}
