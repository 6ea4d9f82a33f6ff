import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { parseInput } from '../common/input-validation.util';
import { openApiSchema } from '../common/openapi.util';
import { UuidParamPipe } from '../common/uuid-param.pipe';
import { DataSourcesService } from './data-sources.service';
import { createDataSourceSchema } from './dto/create-data-source.dto';
import { type DataSourceResponse, mapDataSource } from './dto/data-source.response';
import { updateDataSourceSchema } from './dto/update-data-source.dto';

@ApiTags('data sources')
@ApiBearerAuth()
@Controller('api/data-sources')
export class DataSourcesController {
  constructor(private readonly dataSources: DataSourcesService) {}

  @Post()
  @ApiBody({ schema: openApiSchema(createDataSourceSchema) })
  async create(@Body() body: unknown): Promise<DataSourceResponse> {
    return mapDataSource(await this.dataSources.create(parseInput(createDataSourceSchema, body)));
  }

  @Get()
  async list(): Promise<DataSourceResponse[]> {
    return (await this.dataSources.list()).map(mapDataSource);
  }

  @Get(':id')
  async get(@Param('id', UuidParamPipe) id: string): Promise<DataSourceResponse> {
    return mapDataSource(await this.dataSources.get(id));
  }

  @Patch(':id')
  @ApiBody({ schema: openApiSchema(updateDataSourceSchema) })
  async update(@Param('id', UuidParamPipe) id: string, @Body() body: unknown): Promise<DataSourceResponse> {
    return mapDataSource(await this.dataSources.update(id, parseInput(updateDataSourceSchema, body)));
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', UuidParamPipe) id: string): Promise<void> {
    await this.dataSources.delete(id);
  }
}
