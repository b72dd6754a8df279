import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '../../src/config';
import { freePort } from './http-server';
import { eventually } from './poll';
import { getShared } from './system';

const ROOT = path.resolve(__dirname, '..', '..');

let bundleFile: string | undefined;

/** The run's workflow bundle written once to a file, so child workers skip the ~10 s of bundling at start. */
export function sharedBundleFile(): string {
  if (!bundleFile) {
    const file = path.join(tmpdir(), `wa-faults-bundle-${process.pid}.js`);
    writeFileSync(file, getShared().bundle.code);
    process.once('exit', () => rmSync(file, { force: true }));
    bundleFile = file;
  }
  return bundleFile;
}

/** The environment an entry point needs to join a test system (its database, Temporal, task queue and fake). */
export function envFor(config: Config, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: config.databaseUrl ?? '',
    TEMPORAL_ADDRESS: config.temporal.address ?? '',
    TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
    TEMPORAL_WORKFLOW_BUNDLE: sharedBundleFile(),
    D360_API_URL: config.d360.apiUrl,
    D360_API_KEY: config.d360.apiKey ?? '',
    D360_MAX_MESSAGES_PER_SECOND: String(config.d360.maxMessagesPerSecond),
    D360_TIMEOUT_MS: String(config.d360.timeoutMs),
    GROUP_CAPACITY: String(config.groupCapacity),
    WEBHOOK_SECRET: config.webhooks.secret ?? 'test-webhook-secret',
    LOG_LEVEL: 'info',
    ...overrides,
  };
}

/**
 * An entry point (src/api-main.ts, src/worker-main.ts) as a real process: node with tsx's
 * require hook and no wrapper in between, so SIGKILL reaches the process that does the work.
 */
export class EntryProcess {
  private child?: ChildProcess;
  private exited?: Promise<void>;
  private log = '';

  constructor(
    readonly name: string,
    private readonly script: string,
    private readonly env: Record<string, string>,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return Boolean(this.child && this.child.exitCode === null && this.child.signalCode === null);
  }

  /** The last 200 kB of its stdout and stderr (JSON log lines), for failure messages. */
  output(): string {
    return this.log;
  }

  start(): this {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', this.script], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.log = (this.log + chunk.toString()).slice(-200_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.child = child;
    return this;
  }

  /** Waits for a log line matching `pattern` (e.g. the worker's "worker polling"). */
  async waitForLog(pattern: RegExp, timeoutMs = 60_000): Promise<void> {
    await eventually(
      () => {
        if (!this.running) throw new Error(`${this.name} exited:\n${this.log}`);
        return pattern.test(this.log);
      },
      { timeoutMs, intervalMs: 100, what: `${this.name} to log ${pattern}` },
    ).catch((err) => {
      throw new Error(`${(err as Error).message}\n--- ${this.name} output ---\n${this.log}`);
    });
  }

  /** Sends `signal` and waits until the process is gone; returns its exit code (null when killed by the signal). */
  async stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    if (!this.child) return null;
    if (this.running) this.child.kill(signal);
    await this.exited;
    return this.child.exitCode;
  }
}

/** A worker process on this config's task queue, polling when this resolves. */
export async function startWorkerProcess(
  config: Config,
  overrides: Record<string, string> = {},
): Promise<EntryProcess> {
  const worker = new EntryProcess('worker', 'src/worker-main.ts', envFor(config, overrides)).start();
  await worker.waitForLog(/"msg":"worker polling"/);
  return worker;
}

/** An API process on a free port, answering /health when this resolves. */
export async function startApiProcess(
  config: Config,
  overrides: Record<string, string> = {},
): Promise<{ api: EntryProcess; baseUrl: string }> {
  const port = await freePort();
  const api = new EntryProcess('api', 'src/api-main.ts', envFor(config, { PORT: String(port), ...overrides })).start();
  const baseUrl = `http://127.0.0.1:${port}`;
  await eventually(
    async () => {
      if (!api.running) throw new Error(`api exited:\n${api.output()}`);
      return (await fetch(`${baseUrl}/health`)).status === 200;
    },
    { timeoutMs: 60_000, what: 'the API process to answer /health' },
  );
  return { api, baseUrl };
}
