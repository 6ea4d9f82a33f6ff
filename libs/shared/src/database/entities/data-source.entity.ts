import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const DATA_SOURCE_KINDS = ['postgres', 'http', 'demo'] as const;
export type DataSourceKind = (typeof DATA_SOURCE_KINDS)[number];

/** A connection to a team's data (API.md "Data sources"). `config` may hold secrets: never return it raw. */
@Entity({ name: 'data_sources' })
export class DataSourceEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  kind!: DataSourceKind;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  config!: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
