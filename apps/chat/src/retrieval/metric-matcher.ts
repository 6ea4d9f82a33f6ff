import type { CatalogMetric } from '../catalog/catalog.types';
import { Bm25Index, type QueryTerm } from './bm25.util';
import { analyze, type Term } from './text.util';

/** Below this confidence a question is not about any existing metric (tuned on metric-matcher.fixtures.ts). */
export const MATCH_THRESHOLD = 0.5;
/** A metric whose granularity contradicts the question's ("daily" asked, "weekly" offered) keeps this share. */
const TIME_CONFLICT_FACTOR = 0.6;
/** Bonus for metrics of the dashboard the question was asked from. */
const DASHBOARD_BONUS = 0.1;
/** Granularity words weigh half a content word: they separate near misses without dominating. */
const TIME_WEIGHT = 0.5;
/**
 * Confidence = (1 − NAME_SHARE) × how much of the question the metric covers (normalised BM25F)
 *            + NAME_SHARE × how much of the metric's name the question covers.
 * The second part ranks "Revenue today" above "Monthly recurring revenue" for "revenue".
 */
const NAME_SHARE = 0.2;

const FIELDS = {
  name: { weight: 3, b: 0.5 },
  tags: { weight: 2, b: 0.3 },
  description: { weight: 1.5, b: 0.5 },
  source: { weight: 0.5, b: 0 },
};

export interface MetricMatch {
  metric: CatalogMetric;
  confidence: number;
}

export interface MatchOptions {
  /** Metric ids to prefer (the dashboard the question comes from). */
  prefer?: ReadonlySet<string>;
}

/** Finds the metric a question is about: BM25F over name, tags, description and source, with a threshold. */
export class MetricMatcher {
  private readonly index: Bm25Index<keyof typeof FIELDS>;
  private readonly byId = new Map<string, CatalogMetric>();
  private readonly timesById = new Map<string, Set<string>>();
  private readonly nameTermsById = new Map<string, Term[]>();

  constructor(readonly metrics: readonly CatalogMetric[]) {
    const docs = metrics.map((metric) => {
      this.byId.set(metric.id, metric);
      const name = analyze(metric.name);
      const description = analyze(metric.description);
      this.timesById.set(metric.id, new Set([...name, ...description].filter((t) => t.kind === 'time').map((t) => t.term)));
      this.nameTermsById.set(metric.id, uniqueTerms(name));
      return {
        id: metric.id,
        fields: {
          // A name repeating a word ("… revenue (MRR)" expands to "revenue" twice) is not more about it.
          name: uniqueTerms(name).map((t) => t.term),
          tags: metric.tags.flatMap((tag) => analyze(tag).map((t) => t.term)),
          description: description.map((t) => t.term),
          source: analyze(`${metric.dataSourceName} ${metric.dataSourceKind}`).map((t) => t.term),
        },
      };
    });
    this.index = new Bm25Index(docs, FIELDS);
  }

  /** Candidates best first, with their confidence (possibly below the threshold). */
  rank(text: string, options: MatchOptions = {}): MetricMatch[] {
    const query = analyze(text);
    const content = query.some((t) => t.kind === 'content');
    const asked = new Set(query.filter((t) => t.kind === 'time').map((t) => t.term));
    const queried = new Set(query.map((t) => t.term));
    const results: (MetricMatch & { score: number })[] = [];
    for (const hit of this.index.search(queryTerms(query, content))) {
      if (content && !hit.matched.some((term) => !asked.has(term))) continue;
      const metric = this.byId.get(hit.id) as CatalogMetric;
      let confidence = (1 - NAME_SHARE) * hit.confidence + NAME_SHARE * this.nameCoverage(hit.id, queried);
      if (timeConflict(asked, this.timesById.get(hit.id) as Set<string>)) confidence *= TIME_CONFLICT_FACTOR;
      if (options.prefer?.has(hit.id)) confidence += DASHBOARD_BONUS;
      results.push({ metric, confidence, score: hit.score });
    }
    // Rank on the uncapped value (a dashboard bonus must still order ties), report it capped.
    results.sort((a, b) => b.confidence - a.confidence || b.score - a.score);
    return results.map(({ metric, confidence }) => ({ metric, confidence: Math.min(1, confidence) }));
  }

  /** Share of the metric's name (idf-weighted, granularity at half weight) that the question mentions. */
  private nameCoverage(id: string, queried: ReadonlySet<string>): number {
    let total = 0;
    let covered = 0;
    for (const t of this.nameTermsById.get(id) ?? []) {
      const weight = this.index.idf(t.term) * (t.kind === 'time' ? TIME_WEIGHT : 1);
      total += weight;
      if (queried.has(t.term)) covered += weight;
    }
    return total > 0 ? covered / total : 0;
  }

  /** The best candidate if it clears the threshold. */
  best(text: string, options: MatchOptions = {}): MetricMatch | null {
    const [top] = this.rank(text, options);
    return top && top.confidence >= MATCH_THRESHOLD ? top : null;
  }
}

function queryTerms(query: readonly Term[], hasContent: boolean): QueryTerm[] {
  // A question made only of granularity words ("weekly?") is matched on them at full weight.
  return query.map((t) => ({ term: t.term, weight: t.kind === 'time' && hasContent ? TIME_WEIGHT : 1 }));
}

function uniqueTerms(terms: readonly Term[]): Term[] {
  const seen = new Set<string>();
  return terms.filter((t) => !seen.has(t.term) && seen.add(t.term));
}

function timeConflict(asked: ReadonlySet<string>, offered: ReadonlySet<string>): boolean {
  if (asked.size === 0 || offered.size === 0) return false;
  for (const term of asked) if (offered.has(term)) return false;
  return true;
}
