import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { parseInput } from '../common/input-validation.util';
import { openApiSchema } from '../common/openapi.util';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { MetricReader, type RefreshAccepted } from '../freshness/metric-reader.service';
import type { MetricView } from '../freshness/metric-view.util';
import { createMetricSchema } from './dto/create-metric.dto';
import { listExecutionsQuerySchema } from './dto/list-executions.query';
import { type ExecutionResponse, mapExecution, mapMetric, type MetricResponse } from './dto/metric.response';
import { refreshQuerySchema } from './dto/refresh.query';
import { updateMetricSchema } from './dto/update-metric.dto';
import { MetricsService } from './metrics.service';

@ApiTags('metrics')
@ApiBearerAuth()
@Controller('api/metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly reader: MetricReader,
  ) {}

  @Post()
  @ApiBody({ schema: openApiSchema(createMetricSchema) })
  async create(@Body() body: unknown): Promise<MetricResponse> {
    return mapMetric(await this.metrics.create(parseInput(createMetricSchema, body)));
  }

  @Get()
  async list(): Promise<MetricResponse[]> {
    return (await this.metrics.list()).map(mapMetric);
  }

  @Get(':id')
  async get(@Param('id', UuidParamPipe) id: string): Promise<MetricResponse> {
    return mapMetric(await this.metrics.get(id));
  }

  @Patch(':id')
  @ApiBody({ schema: openApiSchema(updateMetricSchema) })
  async update(@Param('id', UuidParamPipe) id: string, @Body() body: unknown): Promise<MetricResponse> {
    return mapMetric(await this.metrics.update(id, parseInput(updateMetricSchema, body)));
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', UuidParamPipe) id: string): Promise<void> {
    await this.metrics.delete(id);
  }

  /** The metric view, under the same freshness rules as a dashboard. */
  @Get(':id/result')
  result(@Param('id', UuidParamPipe) id: string): Promise<MetricView> {
    return this.reader.readMetric(id);
  }

  @Post(':id/refresh')
  @ApiQuery({ name: 'wait', required: false, enum: ['true', 'false'] })
  async refresh(@Param('id', UuidParamPipe) id: string, @Query() query: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<RefreshAccepted | MetricView> {
    const { wait } = parseInput(refreshQuerySchema, query, 'query');
    const answer = await this.reader.refresh(id, wait);
    reply.status(wait ? 200 : 202);
    return answer;
  }

  @Get(':id/executions')
  @ApiQuery({ name: 'limit', required: false, type: Number })
  async executions(@Param('id', UuidParamPipe) id: string, @Query() query: unknown): Promise<ExecutionResponse[]> {
    const { limit } = parseInput(listExecutionsQuerySchema, query, 'query');
    return (await this.metrics.listExecutions(id, limit)).map(mapExecution);
  }
}
