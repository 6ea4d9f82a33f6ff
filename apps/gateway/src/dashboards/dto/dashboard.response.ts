/** A dashboard row with its ordered metric ids. */
export interface DashboardRecord {
  id: string;
  name: string;
  metricIds: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** A dashboard as the API returns it. */
export interface DashboardResponse {
  id: string;
  name: string;
  metricIds: string[];
  createdAt: string;
  updatedAt: string;
}

/** The one record → response mapping for dashboards. */
export function mapDashboard(record: DashboardRecord): DashboardResponse {
  return {
    id: record.id,
    name: record.name,
    metricIds: record.metricIds,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}
