import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type Koa from 'koa';

/** Request line plus headers, in bytes; more is answered 431 before any of our code runs. */
export const MAX_HEADER_BYTES = 16 * 1024;

const jsonError = (status: number, reason: string, code: string, message: string) => {
  const body = JSON.stringify({ error: { code, message } });
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
};

/**
 * The API's HTTP server: Koa's app on Node's http server with a header-size bound stated here
 * (not left to Node's default), and the errors Node raises before a request exists (oversized
 * or malformed headers) answered in our JSON error shape.
 */
export function serveApp(app: Koa, { port, host }: { port: number; host: string }, onListening?: () => void): Server {
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, app.callback());
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    if (err.code === 'HPE_HEADER_OVERFLOW') {
      return void socket.end(
        jsonError(
          431,
          'Request Header Fields Too Large',
          'headers_too_large',
          `the request line and headers may take at most ${MAX_HEADER_BYTES} bytes`,
        ),
      );
    }
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT')
      return void socket.end(
        jsonError(408, 'Request Timeout', 'request_timeout', 'the request took too long to arrive'),
      );
    socket.end(jsonError(400, 'Bad Request', 'bad_request', 'the request is not valid HTTP'));
  });
  return server.listen(port, host, onListening);
}
