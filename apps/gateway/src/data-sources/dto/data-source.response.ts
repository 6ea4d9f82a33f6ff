import type { DataSourceEntity, DataSourceKind } from '@assemblr/shared';
import { redactDataSourceConfig } from '../data-source-config.util';

/** A data source as the API returns it: secrets in `config` are always redacted. */
export interface DataSourceResponse {
  id: string;
  name: string;
  kind: DataSourceKind;
  config: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/** The one entity → response mapping for data sources. */
export function mapDataSource(entity: DataSourceEntity): DataSourceResponse {
  return {
    id: entity.id,
    name: entity.name,
    kind: entity.kind,
    config: redactDataSourceConfig(entity.kind, entity.config ?? {}),
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}
