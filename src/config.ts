import { z } from 'zod';
import { getCountries, type CountryCode } from 'libphonenumber-js/max';

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const countries = new Set<string>(getCountries());

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  DATABASE_URL: optionalText.pipe(z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional()),
  DATA_DIR: z.string().default('data'),
  TEMPORAL_ADDRESS: optionalText,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('wa-automation'),
  TEMPORAL_CLI_PATH: optionalText,
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  D360_API_URL: z.string().url().default('https://waba-v2.360dialog.io'),
  D360_API_KEY: optionalText,
  D360_MAX_MESSAGES_PER_SECOND: z.coerce.number().positive().max(10_000).default(80),
  D360_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  DEFAULT_PHONE_REGION: optionalText.pipe(
    z
      .string()
      .toUpperCase()
      .refine((code) => countries.has(code), 'must be an ISO 3166 country code such as DE')
      .optional(),
  ),
  API_KEY: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  port: number;
  databaseUrl?: string;
  dataDir: string;
  temporal: {
    address?: string;
    namespace: string;
    taskQueue: string;
    sendTaskQueue: string;
    cliPath?: string;
    uiPort: number;
  };
  d360: { apiUrl: string; apiKey?: string; maxMessagesPerSecond: number; timeoutMs: number };
  defaultPhoneRegion?: CountryCode;
  apiKey?: string;
  logLevel: Env['LOG_LEVEL'];
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      sendTaskQueue: `${e.TEMPORAL_TASK_QUEUE}-sends`,
      cliPath: e.TEMPORAL_CLI_PATH,
      uiPort: e.TEMPORAL_UI_PORT,
    },
    d360: {
      apiUrl: e.D360_API_URL.replace(/\/+$/, ''),
      apiKey: e.D360_API_KEY,
      maxMessagesPerSecond: e.D360_MAX_MESSAGES_PER_SECOND,
      timeoutMs: e.D360_TIMEOUT_MS,
    },
    defaultPhoneRegion: e.DEFAULT_PHONE_REGION as CountryCode | undefined,
    apiKey: e.API_KEY,
    logLevel: e.LOG_LEVEL,
  };
}
