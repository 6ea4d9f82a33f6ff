import { z } from 'zod';
import { type Integration, IntegrationError, type IntegrationRun, parseWith } from './integration';
import { extractValuePath, NOT_FOUND } from './value-path.util';

const httpConfig = z.object({
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  headers: z.record(z.string(), z.string({ error: 'must be a string' })).optional(),
});

const httpDefinition = z.object({
  path: z.string({ error: 'must be a string' }).max(4000, 'is too long'),
  valuePath: z.string({ error: 'must be a string' }).max(500, 'is too long').optional(),
});

export interface HttpIntegrationOptions {
  maxBytes: number;
}

/** GET `baseUrl + path`, JSON (or text) body, `valuePath` picks the value. Headers from config are never logged. */
export class HttpIntegration implements Integration {
  readonly kind = 'http' as const;

  constructor(private readonly options: HttpIntegrationOptions) {}

  async run({ source, definition, signal }: IntegrationRun): Promise<unknown> {
    const config = parseWith(httpConfig, source.config, 'config');
    const def = parseWith(httpDefinition, definition, 'definition');
    const url = joinUrl(config.baseUrl, def.path);
    let response: Response;
    try {
      response = await fetch(url, { headers: { accept: 'application/json', ...config.headers }, signal, redirect: 'follow' });
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      throw new IntegrationError(`request to ${describeUrl(url)} failed: ${causeOf(err)}`);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new IntegrationError(`${describeUrl(url)} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
    }
    const text = await readCapped(response, this.options.maxBytes, signal, url);
    const body = parseBody(text, response.headers.get('content-type'));
    if (def.valuePath === undefined) return { value: body, body };
    const value = extractValuePath(body, def.valuePath);
    if (value === NOT_FOUND) throw new IntegrationError(`definition.valuePath "${def.valuePath}" names nothing in the response of ${describeUrl(url)}`);
    return { value, body };
  }
}

function joinUrl(baseUrl: string, path: string): URL {
  const base = baseUrl.replace(/\/+$/, '');
  return new URL(`${base}${path.startsWith('/') || path === '' ? path : `/${path}`}`);
}

/** Origin and path only: query strings may carry keys. */
function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message ?? String(err);
}

async function readCapped(response: Response, maxBytes: number, signal: AbortSignal, url: URL): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  const tooLarge = () => new IntegrationError(`response of ${describeUrl(url)} is larger than the ${maxBytes}-byte limit`);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    throw err instanceof IntegrationError ? err : new IntegrationError(`reading the response of ${describeUrl(url)} failed: ${causeOf(err)}`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(text: string, contentType: string | null): unknown {
  const looksJson = contentType?.includes('json') ?? false;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    if (looksJson) throw new IntegrationError('response claims to be JSON but does not parse');
    return text;
  }
}
