import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { buildApp } from '../../src/api/app';
import { closeServer } from '../../src/runtime/lifecycle';
import { inboundText } from '../fakes/webhook-bodies';
import { apiClient, testPhone, type ApiClient } from '../helpers/api-client';
import { truncateAll } from '../helpers/database';
import { messageReaches } from '../helpers/broadcasts';
import { startSystem, type TestSystem } from '../helpers/system';
import { postWebhook } from '../helpers/webhooks';

/** The value of one series in Prometheus text, e.g. sample(text, 'wa_messages', {status: 'sent'}). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => [k, v]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(match[3]);
  }
  return undefined;
}

describe('observability: /metrics and the request log', () => {
  let system: TestSystem;
  let api: ApiClient;
  let server: Server;
  const lines: Record<string, unknown>[] = [];

  before(async () => {
    system = await startSystem();
    // The same app with a logger we can read: one JSON object per line, as in production.
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(JSON.parse(String(chunk))), done()) });
    const logger = pino({ level: 'info', base: { service: 'wa-automation' } }, sink);
    server = buildApp({
      config: system.config,
      db: system.db,
      temporal: system.temporal,
      logger,
      background: system.background,
    }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    api = apiClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    await truncateAll(system.db);
  });
  after(async () => {
    await closeServer(server);
    await system.stop();
  });

  it('logs one JSON line per request at info, with the request id it returns (or the one it was given)', async () => {
    const response = await api.get('/contacts/987654321/');
    const id = response.headers.get('x-request-id');
    assert.ok(id);
    const given = await api.get('/contacts/', { headers: { 'x-request-id': 'trace-abc.123' } });
    assert.equal(given.headers.get('x-request-id'), 'trace-abc.123');
    const line = lines.find((l) => l.requestId === id);
    assert.ok(line, JSON.stringify(lines));
    assert.equal(line.level, 30, 'info');
    assert.equal(line.msg, 'request');
    assert.equal(line.method, 'GET');
    assert.equal(line.status, 404);
    assert.equal(typeof line.ms, 'number');
    assert.ok(lines.some((l) => l.requestId === 'trace-abc.123' && l.status === 200));
  });

  it('serves Prometheus metrics: requests by route and status, messages by state, send latency, webhook events', async () => {
    await api.get('/contacts/123456/');
    const message = await api.post('/whatsapp/', { phone_number: testPhone(), message: 'counted' });
    await messageReaches(api, message.body.id, 'sent');
    assert.equal((await postWebhook(api, inboundText('hello', { from: testPhone() }).body)).status, 200);

    const response = await api.get('/metrics');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = String(response.body);
    assert.ok(
      (sample(text, 'wa_http_requests_total', { method: 'GET', route: '/contacts/:id', status: '404' }) ?? 0) >= 1,
      'by route template, not raw path',
    );
    assert.ok(
      (sample(text, 'wa_http_requests_total', { method: 'POST', route: '/whatsapp', status: '201' }) ?? 0) >= 1,
    );
    assert.equal(sample(text, 'wa_messages', { direction: 'outbound', kind: 'single', status: 'sent' }), 1);
    assert.equal(sample(text, 'wa_messages_scrape_ok'), 1);
    assert.ok((sample(text, 'wa_whatsapp_send_duration_seconds_count', { outcome: 'sent' }) ?? 0) >= 1);
    assert.ok((sample(text, 'wa_webhook_events_total', { kind: 'message' }) ?? 0) >= 1);
    assert.ok(sample(text, 'wa_process_resident_memory_bytes'), 'Node process metrics');
    assert.doesNotMatch(text, /route="\/contacts\/123456"/);
  });
});
