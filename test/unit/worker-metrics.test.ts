import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { serveWorkerMetrics } from '../../src/metrics/server';
import { closeServer } from '../../src/runtime/lifecycle';
import { freePort } from '../helpers/http-server';

describe("a worker's own /metrics", () => {
  it('needs API_KEY or METRICS_TOKEN when either is set, and listens on HOST', async () => {
    const server = await serveWorkerMetrics(await freePort(), { host: '127.0.0.1', tokens: [undefined, 'scrape-me'] });
    try {
      const { address, port } = server.address() as AddressInfo;
      assert.equal(address, '127.0.0.1');
      const url = `http://127.0.0.1:${port}/metrics`;
      const refused = await fetch(url);
      assert.equal(refused.status, 401);
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'unauthorized');
      assert.equal((await fetch(url, { headers: { authorization: 'Bearer nope' } })).status, 401);
      const ok = await fetch(url, { headers: { authorization: 'Bearer scrape-me' } });
      assert.equal(ok.status, 200);
      assert.match(await ok.text(), /wa_process_resident_memory_bytes/);
    } finally {
      await closeServer(server);
    }
  });
});
