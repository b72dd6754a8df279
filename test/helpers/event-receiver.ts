import { listen, readBody } from './http-server';

export interface ReceivedEvent {
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  body: any;
}

/**
 * A subscriber endpoint for event webhooks: records every POST and answers `status` (200 unless told otherwise),
 * after `delayMs` (a slow subscriber).
 */
export async function startEventReceiver({ delayMs = 0 }: { delayMs?: number } = {}) {
  const received: ReceivedEvent[] = [];
  const state = { status: 200 };
  const server = await listen((req, res) => {
    void readBody(req).then((raw) => {
      received.push({ headers: req.headers, raw, body: JSON.parse(raw) });
      setTimeout(() => {
        res.writeHead(state.status, { 'content-type': 'text/plain' });
        res.end('ok');
      }, delayMs).unref();
    });
  });
  return { url: `${server.url}/hooks/wa`, received, state, close: () => server.close() };
}
