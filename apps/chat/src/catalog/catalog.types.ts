import type { DataSourceKind, ExecutionPolicy } from '@assemblr/shared';

/** What chat knows of a metric: enough to find it and to judge its freshness; never the source's config. */
export interface CatalogMetric {
  id: string;
  name: string;
  description: string;
  tags: readonly string[];
  dataSourceId: string;
  dataSourceName: string;
  dataSourceKind: DataSourceKind;
  policy: ExecutionPolicy;
}

export interface CatalogSource {
  id: string;
  name: string;
  kind: DataSourceKind;
  /** How many metrics use it: the busiest source of a kind is the natural home of a proposal. */
  metricCount: number;
}
