import { Inject, Injectable } from '@nestjs/common';
import { type ChatAskReply, type ChatAskRequest, type ChatSpecRequest, CLOCK, type Clock } from '@assemblr/shared';
import { composeReply } from '../answer/reply.util';
import type { CatalogMetric } from '../catalog/catalog.types';
import { type CatalogSnapshot, MetricCatalogService } from '../catalog/metric-catalog.service';
import { LANGUAGE_MODEL, type LanguageModel } from '../llm/language-model';
import { cleanConcept, splitPrompt } from '../retrieval/concepts.util';
import type { MatchOptions } from '../retrieval/metric-matcher';
import { analyze } from '../retrieval/text.util';
import { pickSource, proposeMetric } from '../spec/proposal.util';
import { buildSpec, type DashboardSpec } from '../spec/spec-builder.util';
import { MetricValuesService } from '../values/metric-values.service';

/** At most this many metrics in one answer: a question is not a dashboard. */
const MAX_METRICS_PER_ANSWER = 8;

interface Interpretation {
  matched: CatalogMetric[];
  /** Concepts nothing matched, each to be answered with a proposal. */
  missing: string[];
}

/** Answers questions from existing metrics (with their freshness) and drafts dashboard specs. */
@Injectable()
export class ChatService {
  constructor(
    private readonly catalog: MetricCatalogService,
    private readonly values: MetricValuesService,
    @Inject(LANGUAGE_MODEL) private readonly model: LanguageModel,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async ask(request: ChatAskRequest): Promise<ChatAskReply> {
    const [snapshot, prefer] = await Promise.all([
      this.catalog.get(),
      request.dashboardId ? this.catalog.dashboardMetricIds(request.dashboardId).then((ids) => new Set(ids)) : undefined,
    ]);
    const { matched, missing } = await this.interpret(request.message, snapshot, { prefer });
    if (matched.length === 0 && missing.length === 0) return this.notUnderstood(snapshot);
    const outcomes = await this.values.resolve(matched);
    const source = pickSource(snapshot.sources);
    const proposals = missing.map((concept) => ({ concept, proposal: proposeMetric(concept, source) }));
    const draft = composeReply(outcomes, proposals, this.clock.now());
    // The model only rewords: numbers and times come from executions, and keepsFacts() enforces it.
    const phrased = this.model.enabled ? await this.model.phraseReply(request.message, draft.reply) : null;
    return phrased ? { ...draft, reply: phrased } : draft;
  }

  async spec(request: ChatSpecRequest): Promise<DashboardSpec> {
    const snapshot = await this.catalog.get();
    const split = splitPrompt(request.prompt);
    const intent = await this.model.extractIntent({ purpose: 'spec', text: request.prompt, metricNames: snapshot.metrics.map((m) => m.name) });
    const concepts = intent?.concepts.length ? intent.concepts : split.concepts;
    return buildSpec(concepts, snapshot.matcher, snapshot.sources, split.name ?? intent?.name ?? null);
  }

  /** Which metrics a message is about: the model's concepts when it gives some, else the deterministic reading. */
  private async interpret(message: string, snapshot: CatalogSnapshot, options: MatchOptions): Promise<Interpretation> {
    const intent = await this.model.extractIntent({ purpose: 'ask', text: message, metricNames: snapshot.metrics.map((m) => m.name) });
    if (intent?.concepts.length) return matchConcepts(intent.concepts, snapshot, options);
    const parts = splitPrompt(message).concepts;
    if (parts.length >= 2) {
      // "revenue and refunds today": several metrics, when the parts match on their own.
      const byParts = matchConcepts(parts, snapshot, options);
      if (byParts.matched.length > 0) return byParts;
    }
    const whole = snapshot.matcher.best(message, options);
    if (whole) return { matched: [whole.metric], missing: [] };
    const concept = cleanConcept(message);
    return { matched: [], missing: analyze(concept).some((t) => t.kind === 'content') ? [concept] : [] };
  }

  private notUnderstood(snapshot: CatalogSnapshot): ChatAskReply {
    const examples = snapshot.metrics.slice(0, 5).map((m) => `"${m.name}"`);
    const hint = examples.length ? ` You can ask about metrics such as ${examples.join(', ')}.` : ' There are no metrics yet.';
    return { reply: `I could not tell which metric you mean.${hint}`, metrics: [], dataAsOf: null };
  }
}

function matchConcepts(concepts: readonly string[], snapshot: CatalogSnapshot, options: MatchOptions): Interpretation {
  const matched = new Map<string, CatalogMetric>();
  const missing: string[] = [];
  for (const concept of concepts) {
    const best = snapshot.matcher.best(concept, options);
    if (best) matched.set(best.metric.id, best.metric);
    else if (analyze(concept).length > 0) missing.push(cleanConcept(concept) || concept);
  }
  return { matched: [...matched.values()].slice(0, MAX_METRICS_PER_ANSWER), missing: missing.slice(0, MAX_METRICS_PER_ANSWER) };
}
