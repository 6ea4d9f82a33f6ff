import type { Logger } from '@assemblr/shared';
import { z } from 'zod';
import { type Intent, type IntentRequest, intentSchema, keepsFacts, type LanguageModel } from './language-model';

export interface OpenAiCompatibleOptions {
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
}

const completionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
});

const MAX_RESPONSE_CHARS = 200_000;
const MAX_REPLY_CHARS = 2_000;
const MAX_METRIC_NAMES = 300;

const INTENT_PROMPT = `You map a message to metric concepts for a business metrics tool.
Reply with one JSON object and nothing else: {"concepts": string[], "name": string | null}.
- concepts: each distinct metric the message asks about, as a short noun phrase. When the message means one of the
  known metrics, use that metric's exact name. Otherwise write a short name for the metric it asks for. Keep time
  qualifiers (daily, weekly, monthly, today). Empty when the message asks about no metric.
- name: a short dashboard title when the message asks for a dashboard, otherwise null.
Never answer the question and never invent numbers.`;

const PHRASE_PROMPT = `Rewrite the draft answer so it reads naturally as a reply to the question.
Rules: keep every number, time, date and metric name exactly as written in the draft; add no number, time or fact;
keep phrases such as "Data from 10:42 UTC (3 minutes ago)", "a refresh is under way" and "Computed live just now (…)"
word for word. At most 120 words. Reply with the rewritten text only.`;

/** An OpenAI-compatible `/chat/completions` endpoint. The API key goes in one header and nowhere else. */
export class OpenAiCompatibleModel implements LanguageModel {
  readonly enabled = true;
  private readonly url: string;

  constructor(
    private readonly options: OpenAiCompatibleOptions,
    private readonly logger: Logger,
  ) {
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  }

  async extractIntent(request: IntentRequest): Promise<Intent | null> {
    const known = request.metricNames.slice(0, MAX_METRIC_NAMES);
    const content = await this.complete('intent', [
      { role: 'system', content: INTENT_PROMPT },
      { role: 'user', content: `Known metrics: ${JSON.stringify(known)}\nPurpose: ${request.purpose === 'spec' ? 'build a dashboard' : 'answer a question'}\nMessage: ${request.text}` },
    ], true);
    if (content === null) return null;
    const parsed = intentSchema.safeParse(parseJsonObject(content));
    if (!parsed.success) {
      this.logger.warn({ task: 'intent' }, 'language model answered malformed intent: using the deterministic path');
      return null;
    }
    return parsed.data;
  }

  async phraseReply(question: string, draft: string): Promise<string | null> {
    const content = await this.complete('phrase', [
      { role: 'system', content: PHRASE_PROMPT },
      { role: 'user', content: `Question: ${question}\nDraft: ${draft}` },
    ], false);
    const text = content?.trim();
    if (!text || text.length > MAX_REPLY_CHARS) return null;
    if (!keepsFacts(draft, text)) {
      this.logger.warn({ task: 'phrase' }, 'language model changed numbers or freshness: using the deterministic reply');
      return null;
    }
    return text;
  }

  /** One completion; null on timeout, transport error, non-2xx or an unexpected body. */
  private async complete(task: string, messages: { role: string; content: string }[], json: boolean): Promise<string | null> {
    const startedAt = Date.now();
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.apiKey}` },
        body: JSON.stringify({ model: this.options.model, messages, temperature: 0, ...(json ? { response_format: { type: 'json_object' } } : {}) }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const body = await res.text();
      if (!res.ok) {
        this.logger.warn({ task, status: res.status }, 'language model answered an error: using the deterministic path');
        return null;
      }
      const parsed = completionSchema.safeParse(body.length <= MAX_RESPONSE_CHARS ? parseJsonObject(body) : null);
      if (!parsed.success) {
        this.logger.warn({ task }, 'language model answered an unexpected body: using the deterministic path');
        return null;
      }
      return parsed.data.choices[0].message.content;
    } catch (err) {
      // Name only: a transport error's message could echo request details.
      const reason = (err as Error)?.name === 'TimeoutError' ? 'timed out' : `failed (${(err as Error)?.name ?? 'error'})`;
      this.logger.warn({ task, elapsedMs: Date.now() - startedAt }, `language model request ${reason}: using the deterministic path`);
      return null;
    }
  }
}

/** Parses a JSON object, tolerating a ```json fence around it; anything else is null. */
export function parseJsonObject(text: string): unknown {
  const unfenced = text.trim().replace(/^```(?:json)?\s*/i, '').replace(/\s*```$/, '');
  try {
    const value: unknown = JSON.parse(unfenced);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}
