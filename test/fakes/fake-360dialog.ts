import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import busboy from 'busboy';
import { listen, type ListeningServer } from '../helpers/http-server';

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

/** A file 360Dialog holds: uploaded through POST /media, or put there by a test as a customer's inbound media. */
export interface FakeMedia {
  id: string;
  bytes: Buffer;
  mimeType: string;
  filename?: string;
  /** The multipart fields besides the file, as the upload sent them. */
  fields?: Record<string, string>;
}

/** The lookaside host Meta's media urls name; 360Dialog serves the same path on its own host. */
export const LOOKASIDE_HOST = 'https://lookaside.fbsbx.com';

export type Behaviour = { kind: 'reply'; status: number; body: unknown } | { kind: 'hang'; ms: number };

const metaError = (code: number, message: string) => ({
  error: { message, type: 'OAuthException', code, error_data: { details: message }, fbtrace_id: 'AbC123' },
});

/**
 * A stand-in for 360Dialog's Cloud API endpoint (POST /messages) speaking its wire
 * format. It accepts by default and can be told to fail the next requests.
 */
export class Fake360Dialog {
  readonly requests: RecordedRequest[] = [];
  /** The account's templates, served paged; POST /v1/configs/templates adds one as PENDING. */
  readonly templates: FakeTemplate[] = [];
  /** Uploaded and inbound media by id. */
  readonly media = new Map<string, FakeMedia>();
  private queued: Behaviour[] = [];
  private mediaQueued: Behaviour[] = [];
  private sequence = 0;
  /** WhatsApp never hands out a wamid twice; fakes that share a database must not either. */
  private readonly wamidPrefix = `wamid.FAKE${randomBytes(4).toString('hex')}.`;
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
    this.media.clear();
    this.queued = [];
    this.mediaQueued = [];
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
      return {
        status: 200,
        payload: {
          count: page.length,
          filters: {},
          limit,
          offset,
          sort: ['id'],
          total: this.templates.length,
          waba_templates: page,
        },
      };
    }
    if (!body?.name || !body?.language || !body?.category || !Array.isArray(body?.components)) {
      return { status: 400, payload: metaError(100, '(#100) Invalid parameter') };
    }
    if (this.templates.some((t) => t.name === body.name && t.language === body.language)) {
      return { status: 400, payload: metaError(100, '(#100) Message template already exists') };
    }
    const added = this.addTemplate({
      name: body.name,
      language: body.language,
      category: body.category,
      components: body.components,
      status: 'PENDING',
    });
    return {
      status: 200,
      payload: {
        id: added.id,
        name: added.name,
        language: added.language,
        category: added.category,
        status: added.status,
      },
    };
  }

  /** The next `times` requests get this answer instead of success. */
  failNext(times: number, behaviour: Behaviour): void {
    for (let i = 0; i < times; i++) this.queued.push(behaviour);
  }

  failWithStatus(
    times: number,
    status: number,
    body: unknown = { meta: { success: false, http_code: status, developer_message: 'fake failure' } },
  ): void {
    this.failNext(times, { kind: 'reply', status, body });
  }

  failWithMetaCode(times: number, code: number, status = 400): void {
    this.failNext(times, { kind: 'reply', status, body: metaError(code, `(#${code}) fake error`) });
  }

  /** A customer's file, as WhatsApp would hold it for an inbound media message; returns its media id. */
  addMedia(bytes: Buffer, mimeType: string): string {
    const id = `${9_000_000_000 + ++this.sequence}`;
    this.media.set(id, { id, bytes, mimeType });
    return id;
  }

  /** The next `times` media requests (upload, describe, download) get this answer. */
  failMediaNext(times: number, behaviour: Behaviour): void {
    for (let i = 0; i < times; i++) this.mediaQueued.push(behaviour);
  }

  messagesTo(phone: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === '/messages' && r.body?.to === phone);
  }

  private receiveUpload(
    req: IncomingMessage,
    record: RecordedRequest,
    reply: (status: number, payload: unknown) => void,
  ): void {
    const fields: Record<string, string> = {};
    const chunks: Buffer[] = [];
    let file: { filename: string; mimeType: string } | undefined;
    const parser = busboy({ headers: req.headers });
    parser.on('field', (name, value) => (fields[name] = value));
    parser.on('file', (_name, stream, info) => {
      file = { filename: info.filename ?? '', mimeType: info.mimeType };
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    });
    parser.on('error', () => reply(400, metaError(100, '(#100) The multipart body could not be read')));
    parser.on('close', () => {
      const bytes = Buffer.concat(chunks);
      record.body = { fields, file: file ? { ...file, bytes } : undefined };
      if (fields.messaging_product !== 'whatsapp')
        return reply(400, metaError(100, '(#100) The parameter messaging_product is required.'));
      if (!file || bytes.length === 0) return reply(400, metaError(100, '(#100) The parameter file is required.'));
      const id = `${8_000_000_000 + ++this.sequence}`;
      this.media.set(id, { id, bytes, mimeType: file.mimeType, filename: file.filename, fields });
      reply(200, { id });
    });
    req.pipe(parser);
  }

  /** `GET /<media id>` describes a file with a lookaside url; that url's path on this host serves its bytes. */
  private serveMedia(
    method: string,
    path: string,
    url: URL,
    res: ServerResponse,
    reply: (status: number, payload: unknown) => void,
  ): void {
    const notFound = () => reply(404, metaError(100, '(#100) Media not found'));
    if (method !== 'GET') return notFound();
    const id = path.startsWith('/whatsapp_business/attachments') ? (url.searchParams.get('mid') ?? '') : path.slice(1);
    const media = this.media.get(id);
    if (!media) return notFound();
    if (path === `/${id}`) {
      return reply(200, {
        messaging_product: 'whatsapp',
        url: `${LOOKASIDE_HOST}/whatsapp_business/attachments/?mid=${id}&ext=1&hash=fake`,
        mime_type: media.mimeType,
        sha256: createHash('sha256').update(media.bytes).digest('hex'),
        file_size: media.bytes.length,
        id,
      });
    }
    res.writeHead(200, { 'content-type': media.mimeType, 'content-length': media.bytes.length });
    res.end(media.bytes);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    const multipart =
      req.method === 'POST' && path === '/media' && /^multipart\/form-data/i.test(req.headers['content-type'] ?? '');
    const raw = multipart ? Buffer.alloc(0) : await readRaw(req);
    let body: any;
    try {
      body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      body = raw.toString('utf8');
    }
    const record: RecordedRequest = { at: Date.now(), method: req.method ?? '', path, headers: req.headers, body };
    this.requests.push(record);

    const reply = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (req.headers['d360-api-key'] !== this.apiKey) {
      if (multipart) req.resume();
      return reply(401, { meta: { success: false, http_code: 401, developer_message: 'Invalid api key' } });
    }
    if (path === '/media' || /^\/\d+$/.test(path) || path.startsWith('/whatsapp_business/attachments')) {
      const behaviour = this.mediaQueued.shift();
      if (behaviour) {
        if (multipart) req.resume();
        if (behaviour.kind === 'hang') return void setTimeout(() => reply(200, {}), behaviour.ms).unref();
        return reply(behaviour.status, behaviour.body);
      }
      if (multipart) return this.receiveUpload(req, record, reply);
      return this.serveMedia(req.method ?? '', path, url, res, reply);
    }
    if (path === '/v1/configs/templates' && (req.method === 'GET' || req.method === 'POST')) {
      const answer = this.serveTemplates(req.method, url, body);
      return reply(answer.status, answer.payload);
    }
    if (req.method !== 'POST' || path !== '/messages')
      return reply(404, { meta: { success: false, http_code: 404, developer_message: 'Not found' } });

    const behaviour = this.queued.shift();
    if (behaviour?.kind === 'hang') {
      setTimeout(() => reply(200, {}), behaviour.ms).unref();
      return;
    }
    if (behaviour?.kind === 'reply') return reply(behaviour.status, behaviour.body);
    if (body?.status === 'read') return reply(200, { success: true });
    const wamid = `${this.wamidPrefix}${++this.sequence}`;
    record.wamid = wamid;
    reply(200, {
      messaging_product: 'whatsapp',
      contacts: [{ input: body?.to, wa_id: String(body?.to ?? '').replace('+', '') }],
      messages: [{ id: wamid }],
    });
  }
}

async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
