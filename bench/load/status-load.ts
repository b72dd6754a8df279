import http from 'node:http';
import { statusEvent, webhookBody, WEBHOOK_SECRET } from '../../test/fakes/webhook-bodies';

/*
 * The second process of the mixed benchmark (forked by bench/mixed.ts with an IPC channel): it
 * is told each send the fake 360Dialog answered ({ wamid, id, phone }) and posts what WhatsApp
 * would, three status webhooks per message (sent, delivered, read), from `connections`
 * keep-alive clients. For every `sampleEvery`-th message it polls GET /whatsapp/{id}/ from the
 * moment its `read` webhook went out until the API shows `read`. Told `end`, it goes on until
 * nothing is left or `drainMs` have passed, then sends back one result message.
 */
interface Args {
  baseUrl: string;
  connections: number;
  sampleEvery: number;
}
export interface Delivered {
  wamid: string;
  id: number;
  phone: string;
}
export type ToStatusLoad = { kind: 'delivered'; items: Delivered[] } | { kind: 'end'; drainMs: number };
export interface StatusLoadResult {
  /** [sent at (ms since epoch), latency ms] of every webhook answered or failed. */
  webhooks: [number, number][];
  statuses: Record<string, number>;
  errors: number;
  /** Status webhooks owed but not posted when the drain time ran out. */
  leftOver: number;
  /** ms from a sampled message's `read` webhook going out to GET /whatsapp/{id}/ showing it. */
  visible: number[];
  /** Sampled messages whose `read` never showed within the poll's limit. */
  neverVisible: number;
}

const STATUSES = ['sent', 'delivered', 'read'] as const;
const VISIBLE_TIMEOUT_MS = 60_000;
const POLL_MS = 50;
const MAX_POLLERS = 10;

const args = JSON.parse(process.argv[2]) as Args;
const base = new URL(args.baseUrl);
const agent = new http.Agent({ keepAlive: true, maxSockets: args.connections + MAX_POLLERS });
const queue: { item: Delivered; status: (typeof STATUSES)[number]; sample: boolean }[] = [];
let head = 0;
let delivered = 0;
let endAt = Infinity;
let ended = false;
const result: StatusLoadResult = { webhooks: [], statuses: {}, errors: 0, leftOver: 0, visible: [], neverVisible: 0 };
const polls: Promise<void>[] = [];
let pollers = 0;
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function request(method: string, path: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = body
      ? {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-webhook-secret': WEBHOOK_SECRET,
        }
      : {};
    const req = http.request({ agent, host: base.hostname, port: base.port, path, method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function pollVisible(id: number, from: number): Promise<void> {
  while (pollers >= MAX_POLLERS) await delay(POLL_MS);
  pollers++;
  try {
    while (Date.now() - from < VISIBLE_TIMEOUT_MS) {
      const res = await request('GET', `/whatsapp/${id}/`).catch(() => undefined);
      if (res?.status === 200 && JSON.parse(res.text).status === 'read') {
        result.visible.push(Date.now() - from);
        return;
      }
      await delay(POLL_MS);
    }
    result.neverVisible++;
  } finally {
    pollers--;
  }
}

async function lane(): Promise<void> {
  for (;;) {
    if (Date.now() > endAt) return;
    if (head >= queue.length) {
      if (ended) return;
      await delay(5);
      continue;
    }
    const { item, status, sample } = queue[head++];
    const body = JSON.stringify(
      webhookBody({
        statuses: [statusEvent({ wamid: item.wamid, status, recipient: item.phone, callbackData: item.id })],
      }),
    );
    const at = Date.now();
    const t0 = performance.now();
    const res = await request('POST', '/webhooks/360dialog/', body).catch(() => undefined);
    result.webhooks.push([at, performance.now() - t0]);
    if (!res) result.errors++;
    else result.statuses[res.status] = (result.statuses[res.status] ?? 0) + 1;
    if (sample && status === 'read' && res?.status === 200) polls.push(pollVisible(item.id, at));
  }
}

const lanes = Promise.all(Array.from({ length: args.connections }, lane));
process.on('message', (message: ToStatusLoad) => {
  if (message.kind === 'delivered') {
    for (const item of message.items) {
      const sample = delivered++ % args.sampleEvery === 0;
      for (const status of STATUSES) queue.push({ item, status, sample });
    }
    return;
  }
  ended = true;
  endAt = Date.now() + message.drainMs;
  void lanes
    .then(() => Promise.all(polls))
    .then(() => {
      result.leftOver = queue.length - head;
      process.send!(result, () => process.exit(0));
    });
});
