import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { parseInput } from '../common/input-validation.util';
import { openApiSchema } from '../common/openapi.util';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { MetricReader } from '../freshness/metric-reader.service';
import { DashboardEventsService } from './dashboard-events.service';
import { DashboardsService } from './dashboards.service';
import { createDashboardSchema } from './dto/create-dashboard.dto';
import { type DashboardResponse, mapDashboard } from './dto/dashboard.response';
import { updateDashboardSchema } from './dto/update-dashboard.dto';

@ApiTags('dashboards')
@ApiBearerAuth()
@Controller('api/dashboards')
export class DashboardsController {
  constructor(
    private readonly dashboards: DashboardsService,
    private readonly reader: MetricReader,
    private readonly eventStreams: DashboardEventsService,
  ) {}

  @Post()
  @ApiBody({ schema: openApiSchema(createDashboardSchema) })
  async create(@Body() body: unknown): Promise<DashboardResponse> {
    return mapDashboard(await this.dashboards.create(parseInput(createDashboardSchema, body)));
  }

  @Get()
  async list(): Promise<DashboardResponse[]> {
    return (await this.dashboards.list()).map(mapDashboard);
  }

  @Get(':id')
  async get(@Param('id', UuidParamPipe) id: string): Promise<DashboardResponse> {
    return mapDashboard(await this.dashboards.get(id));
  }

  @Patch(':id')
  @ApiBody({ schema: openApiSchema(updateDashboardSchema) })
  async update(@Param('id', UuidParamPipe) id: string, @Body() body: unknown): Promise<DashboardResponse> {
    return mapDashboard(await this.dashboards.update(id, parseInput(updateDashboardSchema, body)));
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', UuidParamPipe) id: string): Promise<void> {
    await this.dashboards.delete(id);
  }

  /** `{ dashboardId, generatedAt, metrics: [metric view…] }`, served as pre-built JSON text. */
  @Get(':id/data')
  @Header('content-type', 'application/json; charset=utf-8')
  data(@Param('id', UuidParamPipe) id: string): Promise<string> {
    return this.reader.readDashboardJson(id);
  }

  @Get(':id/events')
  @ApiProduces('text/event-stream')
  events(@Param('id', UuidParamPipe) id: string, @Res() reply: FastifyReply): Promise<void> {
    return this.eventStreams.stream(id, reply);
  }
}
