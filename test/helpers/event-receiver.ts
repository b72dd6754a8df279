import { listen, readBody } from './http-server';

export interface ReceivedEvent {
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  body: any;
}

/** A subscriber endpoint for event webhooks: records every POST and answers `status` (200 unless told otherwise). */
export async function startEventReceiver() {
  const received: ReceivedEvent[] = [];
  const state = { status: 200 };
  const server = await listen((req, res) => {
    void readBody(req).then((raw) => {
      received.push({ headers: req.headers, raw, body: JSON.parse(raw) });
      res.writeHead(state.status, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  return { url: `${server.url}/hooks/wa`, received, state, close: () => server.close() };
}
