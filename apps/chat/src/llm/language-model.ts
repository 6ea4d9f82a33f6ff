import { z } from 'zod';

/** What the model may tell chat about a message: which metric concepts it names, and a dashboard name. */
export const intentSchema = z.object({
  concepts: z.array(z.string().trim().min(1).max(200)).max(20),
  name: z.string().trim().min(1).max(200).nullable().optional(),
});
export type Intent = z.infer<typeof intentSchema>;

export interface IntentRequest {
  purpose: 'ask' | 'spec';
  text: string;
  /** Names of existing metrics, so the model can say which one a message means. */
  metricNames: readonly string[];
}

/**
 * A language model used for two narrow jobs. Every method answers null when it has no usable answer
 * (no model configured, timeout, non-2xx, malformed output): the deterministic path then answers.
 */
export interface LanguageModel {
  readonly enabled: boolean;
  extractIntent(request: IntentRequest): Promise<Intent | null>;
  /** Rewrites a factual draft for the question; null unless every number and freshness phrase survives. */
  phraseReply(question: string, draft: string): Promise<string | null>;
}

export const LANGUAGE_MODEL = Symbol('LANGUAGE_MODEL');

/** No model configured: the deterministic path answers everything. */
export class NoLanguageModel implements LanguageModel {
  readonly enabled = false;
  async extractIntent(): Promise<Intent | null> {
    return null;
  }
  async phraseReply(): Promise<string | null> {
    return null;
  }
}

const NUMBER = /\d+(?:[.,:]\d+)*/g;
// Phrases that carry the freshness of an answer: a rewrite must keep them word for word.
const REQUIRED = [/Data from [^.;]*?(?:\)|UTC)/g, /a refresh is under way/g, /Computed live just now \([^)]*\)/g, /could not be refreshed/g, /There is no metric for "[^"]*" yet/g];

/** True when `rewrite` adds no number the draft lacks and keeps every freshness phrase of the draft. */
export function keepsFacts(draft: string, rewrite: string): boolean {
  const allowed = new Set((draft.match(NUMBER) ?? []).flatMap(numberForms));
  for (const n of rewrite.match(NUMBER) ?? []) if (!numberForms(n).some((form) => allowed.has(form))) return false;
  const text = rewrite.toLowerCase();
  for (const pattern of REQUIRED) {
    for (const phrase of draft.match(pattern) ?? []) if (!text.includes(phrase.toLowerCase())) return false;
  }
  return true;
}

/** "1,234.5" may be written "1234.5": both forms count as the same number. */
function numberForms(n: string): string[] {
  return [n, n.replace(/,/g, '')];
}
