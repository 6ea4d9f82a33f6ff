import { Module } from '@nestjs/common';
import { FreshnessClient } from './freshness.client';
import { MetricValuesService } from './metric-values.service';
import { RunRequester } from './run-requester';

@Module({ providers: [FreshnessClient, RunRequester, MetricValuesService], exports: [MetricValuesService] })
export class ValuesModule {}
