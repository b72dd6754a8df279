import { createServer, type Server } from 'node:http';
import { processRegistry } from './registry';

/** A worker's own /metrics endpoint (it has no HTTP API); Prometheus scrapes each worker replica. */
export async function serveWorkerMetrics(port: number): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'not_found', message: 'only GET /metrics is served here' } }));
      return;
    }
    processRegistry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': processRegistry.contentType }).end(text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics could not be collected'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  return server;
}
