import { Module } from '@nestjs/common';
import { ReadModelModule } from '../read-model/read-model.module';
import { DataSourcesController } from './data-sources.controller';
import { DataSourcesRepository } from './data-sources.repository';
import { DataSourcesService } from './data-sources.service';

@Module({
  imports: [ReadModelModule],
  controllers: [DataSourcesController],
  providers: [DataSourcesRepository, DataSourcesService],
  exports: [DataSourcesRepository],
})
export class DataSourcesModule {}
