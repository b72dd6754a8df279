import http from 'node:http';
import { inboundText, WEBHOOK_SECRET } from '../../test/fakes/webhook-bodies';
import { benchPhone } from '../lib/context';

/*
 * A load generator in a process of its own (run by bench/lib/http-load.ts): `connections`
 * keep-alive clients POST one fresh inbound-text webhook each (a new wamid every time, so
 * none is a duplicate) as fast as answers come, for a warm-up second and then `seconds`.
 * Prints one JSON line: requests, statuses and latencies of the measured part.
 */
interface LoadArgs {
  url: string;
  seconds: number;
  connections: number;
  series: number;
}

const args = JSON.parse(process.argv[2]) as LoadArgs;
const target = new URL(args.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: args.connections });
let sequence = 0;

function post(): Promise<number> {
  const i = sequence++;
  const body = JSON.stringify(inboundText(`benchmark ${i}`, { from: benchPhone(args.series, i % 1_000_000) }).body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-webhook-secret': WEBHOOK_SECRET,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function main() {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  const warmUntil = Date.now() + 1_000;
  const endAt = warmUntil + args.seconds * 1_000;
  let measuredFrom = 0;
  const client = async () => {
    while (Date.now() < endAt) {
      const t0 = performance.now();
      const status = await post().catch(() => -1);
      const at = Date.now();
      if (at < warmUntil) continue;
      measuredFrom ||= at;
      if (status < 0) errors++;
      else statuses[status] = (statuses[status] ?? 0) + 1;
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: args.connections }, client));
  const seconds = (Date.now() - warmUntil) / 1000;
  process.stdout.write(`${JSON.stringify({ requests: latencies.length, seconds, statuses, errors, latencies })}\n`);
  agent.destroy();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
