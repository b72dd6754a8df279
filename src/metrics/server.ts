import { createServer, type Server } from 'node:http';
import { bearerAccepted } from '../credentials';
import { processRegistry } from './registry';

const jsonError = (code: string, message: string) => JSON.stringify({ error: { code, message } });

/**
 * A worker's own /metrics endpoint (it has no HTTP API); Prometheus scrapes each worker replica.
 * On HOST, and behind API_KEY or METRICS_TOKEN when either is set, like the API's /metrics.
 */
export async function serveWorkerMetrics(
  port: number,
  { host, tokens }: { host: string; tokens: (string | undefined)[] },
): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(jsonError('not_found', 'only GET /metrics is served here'));
      return;
    }
    if (!bearerAccepted(req.headers.authorization ?? '', tokens)) {
      res
        .writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' })
        .end(
          jsonError('unauthorized', 'missing or wrong token: send Authorization: Bearer <METRICS_TOKEN or API_KEY>'),
        );
      return;
    }
    processRegistry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': processRegistry.contentType }).end(text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics could not be collected'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
