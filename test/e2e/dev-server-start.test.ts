import assert from 'node:assert/strict';
import { startDevServer } from '../../src/runtime/dev-temporal';
import { ensureTemporalCli } from '../../src/runtime/temporal-cli';
import { freePort, listen } from '../helpers/http-server';

describe('starting the Temporal dev server', () => {
  it('tries three times, then fails with the server’s own reason, when it cannot bind', async function () {
    this.timeout(60_000);
    const squatter = await listen(() => undefined, await freePort());
    const reasons: string[] = [];
    try {
      await assert.rejects(
        startDevServer({ cliPath: ensureTemporalCli(process.env.TEMPORAL_CLI_PATH || undefined), port: squatter.port, headless: true, onRetry: (reason) => reasons.push(reason) }),
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
