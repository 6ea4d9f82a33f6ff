// The TypeORM CLI's data source (`npm run migration:generate`): exactly one DataSource export.
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './database-options';

export default new DataSource(
  buildDataSourceOptions({ url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/assemblr' }),
);
