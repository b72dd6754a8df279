import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, fetch } from 'undici';
import { pinnedLookup, postToCheckedUrl } from '../../src/event-webhooks/pinned-post';
import { checkUrl } from '../../src/event-webhooks/url-guard';

/** A DNS answer that changes between the check and the connection: public first, then loopback (DNS rebinding). */
function rebindingResolver() {
  const answers = [['203.0.113.7'], ['127.0.0.1']];
  const calls: string[] = [];
  const resolve = async (host: string) => {
    calls.push(host);
    return answers[Math.min(calls.length - 1, answers.length - 1)];
  };
  return { resolve, calls };
}

async function serverOn(host: string, port = 0): Promise<{ server: Server; port: number; hosts: string[] }> {
  const hosts: string[] = [];
  const server = createServer((req, res) => {
    hosts.push(String(req.headers.host));
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return { server, port: (server.address() as AddressInfo).port, hosts };
}

describe('event webhooks: DNS pinning against rebinding', () => {
  it('resolves once, checks every address, and pins the checked one', async () => {
    const dns = rebindingResolver();
    const check = await checkUrl('https://hooks.example.com/wa', { allowPrivate: false, resolve: dns.resolve });
    assert.deepEqual(check, { pinned: { address: '203.0.113.7', family: 4 } });
    assert.deepEqual(dns.calls, ['hooks.example.com']);
    const v6 = await checkUrl('https://hooks.example.com/', {
      allowPrivate: false,
      resolve: async () => ['2606:4700:4700::1111'],
    });
    assert.deepEqual(v6, { pinned: { address: '2606:4700:4700::1111', family: 6 } });
    assert.deepEqual(
      await checkUrl('http://127.0.0.1:9/', { allowPrivate: true }),
      {},
      'nothing to pin when private addresses are allowed',
    );
  });

  it('the connection goes to the pinned address whatever DNS says about the host, keeping the Host header', async () => {
    const pinned = await serverOn('127.0.0.2');
    const other = await serverOn('127.0.0.1', pinned.port);
    const agent = new Agent({ connect: { lookup: pinnedLookup({ address: '127.0.0.2', family: 4 }) } });
    try {
      // rebind.test does not exist in DNS: only the pinned lookup can make this connect.
      const response = await fetch(`http://rebind.test:${pinned.port}/hook`, {
        method: 'POST',
        body: '{}',
        dispatcher: agent,
      });
      assert.equal(response.status, 200);
      await response.text();
      assert.deepEqual(pinned.hosts, [`rebind.test:${pinned.port}`]);
      assert.deepEqual(other.hosts, []);
    } finally {
      await agent.close();
      pinned.server.close();
      other.server.close();
    }
  });

  it('a delivery whose host rebinds to loopback after the check never reaches the loopback receiver', async () => {
    const local = await serverOn('127.0.0.1');
    const dns = rebindingResolver();
    try {
      const outcome = await postToCheckedUrl(`http://rebind.test:${local.port}/hook`, {
        headers: { 'content-type': 'application/json' },
        body: '{}',
        allowPrivate: false,
        timeoutMs: 500,
        resolve: dns.resolve,
      });
      assert.equal(outcome.ok, false);
      assert.deepEqual(dns.calls, ['rebind.test'], 'resolved once');
      assert.deepEqual(local.hosts, [], 'the rebound address was never connected to');
      // And a host that resolves to loopback at check time is refused before any connection.
      const refused = await postToCheckedUrl(`http://rebind.test:${local.port}/hook`, {
        headers: {},
        body: '{}',
        allowPrivate: false,
        timeoutMs: 500,
        resolve: async () => ['127.0.0.1'],
      });
      assert.match(refused.error ?? '', /^url resolves to 127\.0\.0\.1/);
      assert.deepEqual(local.hosts, []);
    } finally {
      local.server.close();
    }
  });
});
