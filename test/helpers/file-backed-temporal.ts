import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { temporalCliSettings } from '../../src/config';
import { startDevServer, type DevServer } from '../../src/runtime/dev-temporal';
import { ensureTemporalCli } from '../../src/runtime/temporal-cli';
import { truncateAll } from './database';
import { freePort } from './http-server';
import { startSystem, warnRetry, type TestSystem } from './system';

export interface FileBackedTemporal {
  readonly system: TestSystem;
  /** Stops the dev server; its database file stays for the next start. */
  stopServer(): Promise<void>;
  /** Starts it again on the same port and database file, with the workflows it had. */
  startServer(): Promise<void>;
}

/**
 * Mocha hooks for a fault test that stops Temporal: a dev server of its own on a database file in a temporary
 * directory, and a system on it whose API client and worker reconnect by themselves, as in production.
 */
export function useFileBackedTemporal(name: string): FileBackedTemporal {
  let dir = '';
  let port = 0;
  let server: DevServer | undefined;
  let system: TestSystem | undefined;
  const start = async () => {
    const cliPath = ensureTemporalCli(temporalCliSettings().cliPath);
    server = await startDevServer({
      cliPath,
      port,
      headless: true,
      dbFile: path.join(dir, 'temporal.db'),
      onRetry: warnRetry,
    });
  };

  before(async function () {
    this.timeout(120_000);
    dir = mkdtempSync(path.join(tmpdir(), `wa-${name}-`));
    port = await freePort();
    await start();
    system = await startSystem({ TEMPORAL_ADDRESS: (server as DevServer).address }, { lazyTemporal: true });
    await truncateAll(system.db);
  });
  after(async () => {
    await system?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  return {
    get system() {
      if (!system) throw new Error('the system starts in the before hook');
      return system;
    },
    stopServer: async () => server?.stop(),
    startServer: start,
  };
}
