import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** Reads the production stack files the way Docker would, for tests that cannot run an engine. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const readRepoFile = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');

export type HostEnv = Record<string, string | undefined>;

export interface ComposeService {
  image?: string;
  build?: string | { context: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string | number | null>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  restart?: string;
}

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export const loadCompose = (): ComposeFile => parse(readRepoFile('docker-compose.yml'), { merge: true }) as ComposeFile;

/** Compose interpolation: $$, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}. */
export function interpolate(value: string, host: HostEnv = {}): string {
  return value.replace(
    /\$\$|\$\{(\w+)(?:(:?)([-?])([^}]*))?\}/g,
    (match, name?: string, colon?: string, op?: string, arg?: string) => {
      if (match === '$$') return '$';
      const raw = host[name!];
      const missing = raw === undefined || (colon === ':' && raw === '');
      if (!missing) return raw!;
      if (op === '?') throw new Error(`${name}: ${arg || 'required'}`);
      return op === '-' ? arg! : '';
    },
  );
}

/**
 * The environment a container gets: values interpolated; a key without a value is taken from
 * the host when set there and left out otherwise.
 */
export function containerEnv(service: ComposeService, host: HostEnv = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(service.environment ?? {})) {
    if (value === null) {
      if (host[key] !== undefined) env[key] = host[key]!;
    } else {
      env[key] = interpolate(String(value), host);
    }
  }
  return env;
}

export interface DockerInstruction {
  stage: number;
  keyword: string;
  args: string;
}

/** Dockerfile instructions with line continuations joined and comments dropped; FROM opens stage N. */
export function parseDockerfile(text: string): DockerInstruction[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  const instructions: DockerInstruction[] = [];
  let stage = -1;
  for (const line of joined.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const [, keyword, args] = /^(\w+)\s+(.*)$/.exec(trimmed) ?? [];
    if (!keyword) continue;
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') stage += 1;
    instructions.push({ stage, keyword: upper, args: args.replace(/\s+/g, ' ').trim() });
  }
  return instructions;
}

/** `${NAME}` references in a Dockerfile resolved from the ARG defaults declared before the first FROM. */
export function resolveDockerArgs(instructions: DockerInstruction[], value: string): string {
  const defaults = new Map<string, string>();
  for (const { stage, keyword, args } of instructions) {
    if (stage !== -1 || keyword !== 'ARG') continue;
    const [name, fallback = ''] = args.split('=', 2);
    defaults.set(name, fallback);
  }
  return value.replace(/\$\{?(\w+)\}?/g, (_, name: string) => defaults.get(name) ?? '');
}
