import type { ChatSpecReply } from '@assemblr/shared';
import type { CatalogSource } from '../catalog/catalog.types';
import { dashboardNameFrom } from '../retrieval/concepts.util';
import { MATCH_THRESHOLD, type MetricMatcher } from '../retrieval/metric-matcher';
import { pickSource, type ProposedMetric, proposeMetric } from './proposal.util';

export type SpecItem = { metricId: string } | { proposed: ProposedMetric };

export interface DashboardSpec extends ChatSpecReply {
  metrics: SpecItem[];
}

/**
 * Maps each concept to an existing metric above the threshold, proposing a new metric only where none
 * matches. A metric is never used twice; a concept whose best match is already used adds nothing.
 */
export function buildSpec(
  concepts: readonly string[],
  matcher: MetricMatcher,
  sources: readonly CatalogSource[],
  name: string | null,
): DashboardSpec {
  const used = new Set<string>();
  const proposedNames = new Set<string>();
  const source = pickSource(sources);
  const metrics: SpecItem[] = [];
  for (const concept of concepts) {
    const candidates = matcher.rank(concept).filter((c) => c.confidence >= MATCH_THRESHOLD);
    if (candidates.length) {
      const fresh = candidates.find((c) => !used.has(c.metric.id));
      // "revenue" and "sales" name one metric: the second mention is covered, not a new metric.
      if (fresh && fresh === candidates[0]) {
        used.add(fresh.metric.id);
        metrics.push({ metricId: fresh.metric.id });
      }
      continue;
    }
    const proposed = proposeMetric(concept, source);
    const key = proposed.name.toLowerCase();
    if (proposedNames.has(key)) continue;
    proposedNames.add(key);
    metrics.push({ proposed });
  }
  return { name: (name?.trim() || dashboardNameFrom(concepts)).slice(0, 200), metrics };
}
