import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Headers;
  body: any;
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** Written as one or more chunks; with no content-length header the body goes chunked. */
  chunks?: (string | Buffer)[];
}

/**
 * One HTTP request with exactly the bytes and headers given (fetch would fix up
 * content-type and encoding), for tests of malformed and hostile input.
 */
export function rawRequest(
  baseUrl: string,
  { method = 'POST', path, headers = {}, chunks = [] }: RawRequest,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}${path}`, { method, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let body: any = text;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON: keep the text so the assertion shows it
        }
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers))
          if (typeof value === 'string') responseHeaders.set(name, value);
        resolve({ status: res.statusCode ?? 0, headers: responseHeaders, body });
      });
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}
