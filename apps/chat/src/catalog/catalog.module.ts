import { Module } from '@nestjs/common';
import { MetricCatalogService } from './metric-catalog.service';

@Module({ providers: [MetricCatalogService], exports: [MetricCatalogService] })
export class CatalogModule {}
