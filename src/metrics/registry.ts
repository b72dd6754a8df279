import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * The process's metrics: one registry per process (API or worker), with Node's own
 * (memory, event-loop lag, GC) under the same `wa_` prefix. Counters are module-level so
 * every part of the process adds to the same series; the API adds its database-backed
 * gauges in its own registry (message-states.ts) and serves both at GET /metrics.
 */
export const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry, prefix: 'wa_' });

export const httpRequests = new Counter({
  name: 'wa_http_requests_total',
  help: 'HTTP requests answered by the API, by method, route template and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [processRegistry],
});

export const httpDuration = new Histogram({
  name: 'wa_http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by method and route template',
  labelNames: ['method', 'route'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [processRegistry],
});

export const webhookEvents = new Counter({
  name: 'wa_webhook_events_total',
  help: '360Dialog webhook events received, by kind (message, status, ignored)',
  labelNames: ['kind'] as const,
  registers: [processRegistry],
});

export const sendDuration = new Histogram({
  name: 'wa_whatsapp_send_duration_seconds',
  help: 'Duration of the call to 360Dialog that sends one message, by outcome (sent, failed, retryable)',
  labelNames: ['outcome'] as const,
  buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [processRegistry],
});

export const sendRecordRetries = new Counter({
  name: 'wa_send_record_retries_total',
  help: 'Failed tries to record what 360Dialog answered for a send (retried until they land; the message stays sending meanwhile)',
  registers: [processRegistry],
});

export const outboxStarts = new Counter({
  name: 'wa_outbox_starts_total',
  help: 'Workflow starts made by the outbox dispatcher, by outcome (started, already_started, failed: retried later)',
  labelNames: ['outcome'] as const,
  registers: [processRegistry],
});

export const inboxApplied = new Counter({
  name: 'wa_inbox_events_applied_total',
  help: 'Webhook inbox events applied, by kind (status, message) and outcome (updated, unchanged, unknown_message, queued)',
  labelNames: ['kind', 'outcome'] as const,
  registers: [processRegistry],
});
