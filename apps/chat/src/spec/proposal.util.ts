import type { DataSourceKind } from '@assemblr/shared';
import type { CatalogSource } from '../catalog/catalog.types';
import { capitalize, cleanConcept } from '../retrieval/concepts.util';
import { analyze, type TimeTerm } from '../retrieval/text.util';

/** A metric chat suggests creating: a starting point a person edits, never run by chat itself. */
export interface ProposedMetric {
  name: string;
  description: string;
  /** The data source the template is written for (absent when no data source exists yet). */
  dataSourceId?: string;
  dataSourceKind: DataSourceKind;
  definition: Record<string, unknown>;
}

// Where a proposal should live: SQL is the most expressive template, demo the last resort.
const KIND_PREFERENCE: readonly DataSourceKind[] = ['postgres', 'http', 'demo'];

const SUM_WORDS = /^(revenu|sale|spend|cost|amount|valu|refund|invoic|price|payment|income|paid|margin|profit)/;
const AVG_WORDS = /^(averag|avg|mean|rate|ratio|share|percent|score|latency|duration|time)$/;
const NOT_TABLE = /^(averag|avg|mean|total|sum|rate|ratio|share|percent|count|number|valu|amount|new|active|unique)$/;

const SQL_WINDOWS: Record<TimeTerm, string> = {
  hour: "created_at >= now() - interval '1 hour'",
  day: "created_at >= date_trunc('day', now())",
  week: "created_at >= now() - interval '7 days'",
  month: "created_at >= date_trunc('month', now())",
  quarter: "created_at >= date_trunc('quarter', now())",
  year: "created_at >= date_trunc('year', now())",
};

/** The source a new metric would use: the busiest source of the most expressive kind available. */
export function pickSource(sources: readonly CatalogSource[]): CatalogSource | null {
  for (const kind of KIND_PREFERENCE) {
    const candidates = sources.filter((s) => s.kind === kind).sort((a, b) => b.metricCount - a.metricCount || a.name.localeCompare(b.name));
    if (candidates.length) return candidates[0];
  }
  return null;
}

/** A proposal for a concept no existing metric covers: a name and a definition template for `source`. */
export function proposeMetric(concept: string, source: CatalogSource | null): ProposedMetric {
  const name = capitalize(cleanConcept(concept) || concept.trim()).slice(0, 200);
  const kind = source?.kind ?? 'demo';
  const description = `Proposed for "${name}": a template to complete before saving.`;
  return {
    name,
    description,
    ...(source ? { dataSourceId: source.id } : {}),
    dataSourceKind: kind,
    definition: definitionTemplate(kind, name),
  };
}

function definitionTemplate(kind: DataSourceKind, name: string): Record<string, unknown> {
  switch (kind) {
    case 'postgres':
      return { sql: sqlTemplate(name) };
    case 'http':
      return { path: `/metrics/${slug(name, '-')}`, valuePath: 'value' };
    case 'demo':
      return { value: 0 };
  }
}

/** `select <aggregate> as value from <table> [where <window>]`, guessed from the concept's words. */
export function sqlTemplate(name: string): string {
  const terms = analyze(name);
  const time = terms.find((t) => t.kind === 'time')?.term as TimeTerm | undefined;
  const content = terms.filter((t) => t.kind === 'content');
  const aggregate = content.some((t) => AVG_WORDS.test(t.term))
    ? 'avg(value)'
    : content.some((t) => SUM_WORDS.test(t.term))
      ? 'coalesce(sum(amount), 0)'
      : 'count(*)';
  const table = slug(content.filter((t) => !NOT_TABLE.test(t.term)).slice(0, 3).map((t) => t.surface).join(' '), '_') || 'events';
  const where = time ? ` where ${SQL_WINDOWS[time]}` : '';
  return `select ${aggregate} as value from ${table}${where}`;
}

function slug(text: string, separator: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, separator)
    .replace(new RegExp(`^\\${separator}+|\\${separator}+$`, 'g'), '')
    .slice(0, 60);
}
