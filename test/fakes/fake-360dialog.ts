import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, readBody, type ListeningServer } from '../helpers/http-server';

/** What the fake received, in order. */
export interface RecordedRequest {
  at: number;
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
  /** The wamid the fake answered a send with (what the delivery statuses name). */
  wamid?: string;
}

/** A template as 360Dialog lists it (GET /v1/configs/templates: Meta's fields). */
export interface FakeTemplate {
  id: string;
  name: string;
  language: string;
  category: string;
  status: string;
  components: Record<string, unknown>[];
  quality_score?: { score: string };
  rejected_reason?: string;
}

export type Behaviour =
  | { kind: 'reply'; status: number; body: unknown }
  | { kind: 'hang'; ms: number };

const metaError = (code: number, message: string) => ({ error: { message, type: 'OAuthException', code, error_data: { details: message }, fbtrace_id: 'AbC123' } });

/**
 * A stand-in for 360Dialog's Cloud API endpoint (POST /messages) speaking its wire
 * format. It accepts by default and can be told to fail the next requests.
 */
export class Fake360Dialog {
  readonly requests: RecordedRequest[] = [];
  /** The account's templates, served paged; POST /v1/configs/templates adds one as PENDING. */
  readonly templates: FakeTemplate[] = [];
  private queued: Behaviour[] = [];
  private sequence = 0;
  private server?: ListeningServer;

  constructor(readonly apiKey = 'test-d360-key') {}

  get url(): string {
    if (!this.server) throw new Error('fake 360Dialog is not started');
    return this.server.url;
  }

  async start(): Promise<this> {
    this.server = await listen((req, res) => void this.handle(req, res));
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  reset(): void {
    this.requests.length = 0;
    this.templates.length = 0;
    this.queued = [];
  }

  /** Adds an APPROVED (unless told otherwise) template with a body, as Meta would after review. */
  addTemplate(template: Partial<FakeTemplate> & { name: string }): FakeTemplate {
    const added: FakeTemplate = {
      id: `${++this.sequence}`,
      language: 'en',
      category: 'UTILITY',
      status: 'APPROVED',
      components: [{ type: 'BODY', text: 'Hello {{1}}' }],
      quality_score: { score: 'GREEN' },
      ...template,
    };
    this.templates.push(added);
    return added;
  }

  private serveTemplates(method: string, url: URL, body: any): { status: number; payload: unknown } {
    if (method === 'GET') {
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 1000), 1000);
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const page = this.templates.slice(offset, offset + limit);
      return { status: 200, payload: { count: page.length, filters: {}, limit, offset, sort: ['id'], total: this.templates.length, waba_templates: page } };
    }
    if (!body?.name || !body?.language || !body?.category || !Array.isArray(body?.components)) {
      return { status: 400, payload: metaError(100, '(#100) Invalid parameter') };
    }
    if (this.templates.some((t) => t.name === body.name && t.language === body.language)) {
      return { status: 400, payload: metaError(100, '(#100) Message template already exists') };
    }
    const added = this.addTemplate({ name: body.name, language: body.language, category: body.category, components: body.components, status: 'PENDING' });
    return { status: 200, payload: { id: added.id, name: added.name, language: added.language, category: added.category, status: added.status } };
  }

  /** The next `times` requests get this answer instead of success. */
  failNext(times: number, behaviour: Behaviour): void {
    for (let i = 0; i < times; i++) this.queued.push(behaviour);
  }

  failWithStatus(times: number, status: number, body: unknown = { meta: { success: false, http_code: status, developer_message: 'fake failure' } }): void {
    this.failNext(times, { kind: 'reply', status, body });
  }

  failWithMetaCode(times: number, code: number, status = 400): void {
    this.failNext(times, { kind: 'reply', status, body: metaError(code, `(#${code}) fake error`) });
  }

  messagesTo(phone: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === '/messages' && r.body?.to === phone);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    let body: any;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    const record: RecordedRequest = { at: Date.now(), method: req.method ?? '', path, headers: req.headers, body };
    this.requests.push(record);

    const reply = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (req.headers['d360-api-key'] !== this.apiKey) return reply(401, { meta: { success: false, http_code: 401, developer_message: 'Invalid api key' } });
    if (path === '/v1/configs/templates' && (req.method === 'GET' || req.method === 'POST')) {
      const answer = this.serveTemplates(req.method, url, body);
      return reply(answer.status, answer.payload);
    }
    if (req.method !== 'POST' || path !== '/messages') return reply(404, { meta: { success: false, http_code: 404, developer_message: 'Not found' } });

    const behaviour = this.queued.shift();
    if (behaviour?.kind === 'hang') {
      setTimeout(() => reply(200, {}), behaviour.ms).unref();
      return;
    }
    if (behaviour?.kind === 'reply') return reply(behaviour.status, behaviour.body);
    if (body?.status === 'read') return reply(200, { success: true });
    const wamid = `wamid.FAKE${++this.sequence}`;
    record.wamid = wamid;
    reply(200, { messaging_product: 'whatsapp', contacts: [{ input: body?.to, wa_id: String(body?.to ?? '').replace('+', '') }], messages: [{ id: wamid }] });
  }
}
