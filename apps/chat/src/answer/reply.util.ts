import type { ChatAskReply } from '@assemblr/shared';
import type { ProposedMetric } from '../spec/proposal.util';
import type { MetricOutcome, RunFailure, ServedValue } from './outcome.types';
import { clockTime, dataFrom, formatValue, shorten, whenComputed } from './wording.util';

type ReplyMetric = ChatAskReply['metrics'][number];

/** One sentence (or two) per metric: value first, then where it comes from and how old it is. */
export function describeOutcome(outcome: MetricOutcome, now: Date): string {
  const name = outcome.metric.name;
  switch (outcome.kind) {
    case 'cached':
      return `${valueSentence(name, outcome.served)} ${dataFrom(outcome.served.computedAt, now)}.${failureNote(outcome.lastError, now)}`;
    case 'refreshing': {
      const refresh = outcome.refreshRequested ? 'a refresh is under way' : 'a refresh could not be requested right now';
      return `${valueSentence(name, outcome.served)} ${dataFrom(outcome.served.computedAt, now)}; it is getting old and ${refresh}.${failureNote(outcome.lastError, now)}`;
    }
    case 'live':
      return `${valueSentence(name, outcome.served)} Computed live just now (${clockTime(outcome.served.computedAt)}).`;
    case 'failed':
      return `${name} could not be refreshed: the run failed at ${clockTime(outcome.failure.at)} (${errorText(outcome.failure)}). ${lastGoodSentence(outcome.lastGood, now)}`;
    case 'loading':
      return `${name} is ${loadingClause(outcome)}. ${lastGoodSentence(outcome.lastGood, now)}`;
  }
}

function valueSentence(name: string, served: ServedValue): string {
  return `${name} is ${formatValue(served.value)}.`;
}

function failureNote(failure: RunFailure | null, now: Date): string {
  return failure ? ` (The latest refresh attempt failed ${whenComputed(failure.at, now)}: ${errorText(failure)}.)` : '';
}

function errorText(failure: RunFailure): string {
  return shorten(failure.message.replace(/\s+/g, ' ').trim() || 'unknown error', 160);
}

function lastGoodSentence(lastGood: ServedValue | null, now: Date): string {
  if (!lastGood) return 'There is no earlier value to show.';
  return `The last good value was ${formatValue(lastGood.value)}, from ${whenComputed(lastGood.computedAt, now)}.`;
}

function loadingClause(outcome: Extract<MetricOutcome, { kind: 'loading' }>): string {
  if (!outcome.runRequested) return 'out of date and a fresh run could not be requested right now';
  if (outcome.waitedMs === null) return 'being computed now';
  const seconds = Math.max(1, Math.round(outcome.waitedMs / 1000));
  return `being computed now; the run did not finish within ${seconds} second${seconds === 1 ? '' : 's'}`;
}

/** "There is no metric for … yet": the proposal a person could create instead. */
export function describeMissing(concept: string, proposal: ProposedMetric): string {
  const definition = 'sql' in proposal.definition ? `as ${String(proposal.definition.sql)}` : `with the definition ${JSON.stringify(proposal.definition)}`;
  return `There is no metric for "${shorten(concept, 80)}" yet. I could propose one: "${proposal.name}" on a ${proposal.dataSourceKind} data source, ${definition}.`;
}

/** The `metrics` entry of a reply: the value the sentence cites and the state a dashboard would show. */
export function replyMetric(outcome: MetricOutcome): ReplyMetric {
  const base = { metricId: outcome.metric.id, name: outcome.metric.name };
  const cite = (served: ServedValue | null, state: string): ReplyMetric => ({
    ...base,
    value: served?.value ?? null,
    computedAt: served ? served.computedAt.toISOString() : null,
    state,
  });
  switch (outcome.kind) {
    case 'cached':
    case 'live':
      return cite(outcome.served, 'fresh');
    case 'refreshing':
      return cite(outcome.served, 'stale');
    case 'failed':
      return cite(outcome.lastGood, 'error');
    case 'loading':
      return cite(outcome.lastGood, 'loading');
  }
}

/** The oldest computedAt among the values a reply cites (ISO), or null when it cites none. */
export function dataAsOf(metrics: readonly ReplyMetric[]): string | null {
  const times = metrics.map((m) => m.computedAt).filter((t): t is string => t !== null).sort();
  return times[0] ?? null;
}

/** The deterministic reply: one paragraph per metric, then the concepts nothing matched. */
export function composeReply(outcomes: readonly MetricOutcome[], missing: readonly { concept: string; proposal: ProposedMetric }[], now: Date): ChatAskReply {
  const lines = [...outcomes.map((o) => describeOutcome(o, now)), ...missing.map((m) => describeMissing(m.concept, m.proposal))];
  const metrics = outcomes.map(replyMetric);
  return { reply: lines.join('\n') || 'I could not tell which metric you mean.', metrics, dataAsOf: dataAsOf(metrics) };
}
