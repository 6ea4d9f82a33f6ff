import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedLlmRequest {
  authorization: string | undefined;
  body: { model?: string; messages?: { role: string; content: string }[]; response_format?: unknown };
}

/** What the fake answers to one request: a chat-completions body, a raw status/body, or nothing for a while. */
export type FakeLlmAnswer =
  | { content: string }
  | { status: number; raw: string }
  | { delayMs: number; content: string };

/**
 * A local OpenAI-compatible `/chat/completions` endpoint for tests. `respond` decides each answer from the
 * request (e.g. by its system prompt); every request is recorded.
 */
export class FakeLlmServer {
  readonly requests: RecordedLlmRequest[] = [];
  respond: (request: RecordedLlmRequest) => FakeLlmAnswer = () => ({ status: 500, raw: 'no answer configured' });
  private server?: Server;
  baseUrl = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(async (answer) => {
        if ('delayMs' in answer) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
        if (res.destroyed) return;
        if ('status' in answer) {
          res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.raw);
          return;
        }
        const body = { id: 'cmpl-test', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: answer.content }, finish_reason: 'stop' }] };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
    return this;
  }

  /** The system prompt of a recorded request: tells the intent task from the phrasing task. */
  static task(request: RecordedLlmRequest): 'intent' | 'phrase' {
    return request.body.response_format ? 'intent' : 'phrase';
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private async handle(req: IncomingMessage): Promise<FakeLlmAnswer> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return { status: 404, raw: '{"error":"not found"}' };
    let body: RecordedLlmRequest['body'] = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RecordedLlmRequest['body'];
    } catch {
      return { status: 400, raw: '{"error":"bad json"}' };
    }
    const recorded = { authorization: req.headers.authorization, body };
    this.requests.push(recorded);
    return this.respond(recorded);
  }
}
