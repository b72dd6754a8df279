import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_KEYS } from '../../workflows/definitions';

export interface DevServerOptions {
  cliPath: string;
  port: number;
  uiPort?: number;
  /** Persist workflows here; without it the server forgets everything when it stops. */
  dbFile?: string;
  namespace?: string;
  headless?: boolean;
  startTimeoutMs?: number;
  /** Told why a start failed before the next try. */
  onRetry?: (reason: string) => void;
}

export interface DevServer {
  address: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The server process ended before it served: usually a port that another socket took between the pick and the bind. */
class DevServerExitedError extends Error {}

async function waitUntilServing(address: string, child: ChildProcess, deadline: number): Promise<void> {
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new DevServerExitedError(`temporal server start-dev exited with code ${child.exitCode}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await delay(200);
    }
  }
  throw new Error(`Temporal dev server at ${address} did not start in time: ${(lastError as Error)?.message}`);
}

const START_ATTEMPTS = 3;

/** What a file-backed dev server runs with (`npm start`, and the bench's file-backed server). */
export const SQLITE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal'];

/**
 * `temporal server start-dev` as a child process, with our search attributes registered. The CLI
 * picks free ports for its internal services itself, and one can be taken before it binds it; the
 * server then exits at once, and the next try picks other ports.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      if (!(err instanceof DevServerExitedError) || attempt === START_ATTEMPTS) throw err;
      options.onRetry?.(err.message);
    }
  }
}

async function startOnce(options: DevServerOptions): Promise<DevServer> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--log-level', 'warn'];
  if (options.headless) args.push('--headless');
  else if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  if (options.dbFile) {
    mkdirSync(path.dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
    // WAL + synchronous=normal: a commit is durable once in the WAL, so a crash of the process (or of
    // npm start) loses nothing; a power loss or kernel panic can lose the last commits not yet
    // checkpointed to disk (never corrupts the file). 2.4x the starts/s of the default rollback
    // journal with a full fsync per commit (docs/performance.md).
    for (const pragma of SQLITE_PRAGMAS) args.push('--sqlite-pragma', pragma);
  }
  if (options.namespace && options.namespace !== 'default') args.push('--namespace', options.namespace);
  for (const key of SEARCH_ATTRIBUTE_KEYS) args.push('--search-attribute', `${key.name}=Keyword`);
  // One partition per task queue: the send rate cap is then enforced by a single limiter, not split four ways.
  for (const key of ['matching.numTaskqueueReadPartitions', 'matching.numTaskqueueWritePartitions'])
    args.push('--dynamic-config-value', `${key}=1`);

  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const stderr = new HeadAndTail(4_000);
  child.stderr?.on('data', (chunk: Buffer) => stderr.add(chunk.toString('utf8')));
  const address = `127.0.0.1:${options.port}`;
  try {
    await waitUntilServing(address, child, Date.now() + (options.startTimeoutMs ?? 60_000));
  } catch (err) {
    child.kill('SIGKILL');
    (err as Error).message += `\n${stderr.text()}`;
    throw err;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    address,
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A panic's cause is at its start and the failing call at its end; keep both, not megabytes between. */
class HeadAndTail {
  private head = '';
  private tail = '';
  constructor(private readonly limit: number) {}

  add(chunk: string): void {
    const room = this.limit - this.head.length;
    if (room > 0) {
      this.head += chunk.slice(0, room);
      chunk = chunk.slice(room);
    }
    this.tail = (this.tail + chunk).slice(-this.limit);
  }

  text(): string {
    return this.tail ? `${this.head}\n…\n${this.tail}` : this.head;
  }
}
