import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDevServer, type DevServer } from '../../src/runtime/dev-temporal';
import { ensureTemporalCli } from '../../src/runtime/temporal-cli';
import { temporalCliSettings } from '../../src/config';
import { freePort } from '../../test/helpers/http-server';
import { warnRetry, type Shared } from '../../test/helpers/system';

async function startBenchDevServer(dbFile?: string): Promise<DevServer> {
  const cliPath = ensureTemporalCli(temporalCliSettings().cliPath);
  return startDevServer({ cliPath, port: await freePort(), headless: true, dbFile, onRetry: warnRetry });
}

/** A new, empty in-memory dev server in place of the shared one (which stops). */
export async function replaceMemoryServer(shared: Shared): Promise<void> {
  const previous = shared.temporalServer;
  await previous.stop();
  shared.temporalServer = await startBenchDevServer();
}

export type TemporalKind = 'memory' | 'file';

/**
 * The file-backed dev server exactly as `npm start` runs it (SQLite file, WAL, synchronous=normal),
 * beside the shared in-memory one; started on first use, its folder removed on stop.
 */
export function fileBackedServer() {
  let started: Promise<{ server: DevServer; dir: string }> | undefined;
  return {
    get: async () => {
      started ??= (async () => {
        const dir = mkdtempSync(path.join(tmpdir(), 'wa-bench-temporal-'));
        return { server: await startBenchDevServer(path.join(dir, 'temporal.db')), dir };
      })();
      return (await started).server;
    },
    /** Stops it and removes its folder; the next get() starts a new one. */
    async stop() {
      if (!started) return;
      const { server, dir } = await started;
      started = undefined;
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs `fn` with startSystem() pointed at the given server: test/helpers/system reads the shared
 * server at each start, so swapping it for the duration is all it takes.
 */
export async function withTemporal<T>(shared: Shared, server: DevServer, fn: () => Promise<T>): Promise<T> {
  const previous = shared.temporalServer;
  shared.temporalServer = server;
  try {
    return await fn();
  } finally {
    shared.temporalServer = previous;
  }
}
