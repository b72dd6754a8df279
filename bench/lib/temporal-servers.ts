import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDevServer, type DevServer } from '../../src/runtime/dev-temporal';
import { ensureTemporalCli } from '../../src/runtime/temporal-cli';
import { freePort } from '../../test/helpers/http-server';
import { warnRetry, type Shared } from '../../test/helpers/system';

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
        const cliPath = ensureTemporalCli(process.env.TEMPORAL_CLI_PATH || undefined);
        const server = await startDevServer({
          cliPath,
          port: await freePort(),
          headless: true,
          dbFile: path.join(dir, 'temporal.db'),
          onRetry: warnRetry,
        });
        return { server, dir };
      })();
      return (await started).server;
    },
    async stop() {
      if (!started) return;
      const { server, dir } = await started;
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
