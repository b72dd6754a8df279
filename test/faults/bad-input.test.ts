import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { generateBadRequests, type BadRequest } from '../helpers/bad-requests';
import { startApiProcess, type EntryProcess } from '../helpers/child-process';
import { startSystem, type TestSystem } from '../helpers/system';

const COUNT = Number(process.env.BAD_INPUT_COUNT ?? 10_000);
const SEED = Number(process.env.BAD_INPUT_SEED ?? 20261127);
const CONCURRENCY = 8;

interface Reply {
  status: number;
  contentType: string;
  text: string;
}

function send(baseUrl: string, agent: Agent, bad: BadRequest): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers = { ...bad.headers, ...(bad.body ? { 'content-length': String(bad.body.length) } : {}) };
    const req = request(`${baseUrl}${bad.path}`, { method: bad.method, headers, agent }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          text: Buffer.concat(parts).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end(bad.body);
  });
}

/** Undefined when the reply is in the one error shape, else what is wrong with it. */
function errorShapeProblem(reply: Reply): string | undefined {
  if (!reply.contentType.startsWith('application/json')) return `content-type ${reply.contentType}`;
  try {
    const body = JSON.parse(reply.text);
    const keys = Object.keys(body);
    if (keys.length !== 1 || keys[0] !== 'error') return 'not {"error":...}';
    if (typeof body.error.code !== 'string' || typeof body.error.message !== 'string' || !body.error.message)
      return 'no code or message';
    if (Object.keys(body.error).some((key) => !['code', 'message', 'details'].includes(key))) return 'unexpected keys';
    return undefined;
  } catch {
    return 'not JSON';
  }
}

describe(`fault: ${COUNT} generated bad requests across every endpoint (seed ${SEED})`, () => {
  let system: TestSystem;
  let api: EntryProcess | undefined;
  let baseUrl: string;

  before(async function () {
    this.timeout(120_000);
    system = await startSystem({}, { worker: false });
    ({ api, baseUrl } = await startApiProcess(system.config, { LOG_LEVEL: 'warn' }));
  });
  after(async () => {
    await api?.stop();
    await system?.stop();
  });

  it('zero 5xx, zero crashes, every refusal in the error shape', async function () {
    this.timeout(300_000);
    const requests = generateBadRequests(COUNT, SEED);
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const byKind = new Map<string, { total: number; passed: number }>();
    const failures: string[] = [];
    const started = Date.now();
    let next = 0;
    const lane = async () => {
      while (next < requests.length) {
        const bad = requests[next++];
        const tally = byKind.get(bad.kind) ?? { total: 0, passed: 0 };
        byKind.set(bad.kind, tally);
        tally.total += 1;
        const where = `${bad.kind}: ${bad.method} ${bad.path.slice(0, 80)}`;
        let reply: Reply;
        try {
          reply = await send(baseUrl, agent, bad);
        } catch (err) {
          // The server may close a connection after refusing an oversized body; that is an answer too only if it sent
          // one.
          failures.push(`${where}: no reply (${(err as Error).message})`);
          continue;
        }
        if (reply.status >= 500) failures.push(`${where}: ${reply.status} ${reply.text.slice(0, 200)}`);
        else if (reply.status < 400) {
          tally.passed += 1;
          if (!bad.mayPass) failures.push(`${where}: accepted with ${reply.status} ${reply.text.slice(0, 200)}`);
        } else {
          const problem = errorShapeProblem(reply);
          if (problem)
            failures.push(`${where}: ${reply.status} not in the error shape (${problem}): ${reply.text.slice(0, 200)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, lane));
    agent.destroy();
    const ms = Date.now() - started;

    const summary = [...byKind.entries()]
      .sort()
      .map(([kind, t]) => `${kind} ${t.total}${t.passed ? ` (${t.passed} legal, 2xx)` : ''}`)
      .join(', ');
    console.log(`      [bad input] ${COUNT} requests in ${ms} ms (${Math.round((COUNT / ms) * 1000)}/s): ${summary}`);
    assert.ok(api?.running, `the API process died:\n${api?.output()}`);
    assert.equal((await fetch(`${baseUrl}/health`)).status, 200, 'the API still answers');
    assert.deepEqual(failures.slice(0, 20), [], `${failures.length} bad replies`);
  });
});
