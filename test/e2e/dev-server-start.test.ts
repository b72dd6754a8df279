import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startDevServer } from '../../src/runtime/dev-temporal';
import { temporalCliSettings } from '../../src/config';
import { ensureTemporalCli } from '../../src/runtime/temporal-cli';
import { freePort, listen } from '../helpers/http-server';
import { warnRetry } from '../helpers/system';

describe('starting the Temporal dev server', () => {
  it('tries three times, then fails with the server’s own reason, when it cannot bind', async function () {
    this.timeout(60_000);
    const squatter = await listen(() => undefined, await freePort());
    const reasons: string[] = [];
    try {
      await assert.rejects(
        startDevServer({
          cliPath: ensureTemporalCli(temporalCliSettings().cliPath),
          port: squatter.port,
          headless: true,
          onRetry: (reason) => reasons.push(reason),
        }),
        (err: Error) => {
          assert.match(err.message, /exited with code/);
          assert.match(err.message, new RegExp(`${squatter.port}.*address already in use`));
          return true;
        },
      );
      assert.equal(reasons.length, 2, 'two retries before giving up');
      assert.ok(reasons.every((reason) => reason.includes('address already in use')));
    } finally {
      await squatter.close();
    }
  });
});

describe('the file-backed Temporal dev server (npm start)', () => {
  it('runs SQLite in WAL mode and keeps a started workflow across a SIGKILL of the server', async function () {
    this.timeout(120_000);
    const dir = mkdtempSync(path.join(tmpdir(), 'wa-dev-wal-'));
    const dbFile = path.join(dir, 'temporal.db');
    const port = await freePort();
    const start = () =>
      startDevServer({
        cliPath: ensureTemporalCli(process.env.TEMPORAL_CLI_PATH || undefined),
        port,
        headless: true,
        dbFile,
        onRetry: warnRetry,
      });
    let server = await start();
    try {
      const workflowId = `wal-${Date.now()}`;
      let connection = await Connection.connect({ address: server.address });
      // Nobody polls this task queue: the start alone is what must survive.
      await new Client({ connection }).workflow.start('neverRuns', { taskQueue: 'wal-test', workflowId });
      await connection.close();
      assert.ok(existsSync(`${dbFile}-wal`), 'SQLite writes a write-ahead log next to the database');

      server.process.kill('SIGKILL');
      await server.stop();
      server = await start();
      connection = await Connection.connect({ address: server.address });
      try {
        const described = await new Client({ connection }).workflow.getHandle(workflowId).describe();
        assert.equal(described.status.name, 'RUNNING');
      } finally {
        await connection.close();
      }
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
