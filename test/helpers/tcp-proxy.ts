import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface ProxyTarget {
  host: string;
  port: number;
}

/**
 * How a paused proxy plays "down": `refuse` is a stopped server (nothing listens, connects
 * fail at once); `blackhole` is a lost host (connects are accepted and never answered).
 * Either way every open connection is cut.
 */
export type Outage = 'refuse' | 'blackhole';

/**
 * A TCP forwarder a test can take down and bring back on the same port, to play a
 * dependency (Postgres, Temporal) that becomes unreachable and then returns.
 */
export class TcpProxy {
  private server?: Server;
  private outage?: Outage;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: ProxyTarget) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get paused(): boolean {
    return this.outage !== undefined;
  }

  async start(): Promise<this> {
    await this.listen(0);
    return this;
  }

  /** Cuts every forwarded connection, both sides, and stops forwarding until resume(). */
  async pause(outage: Outage = 'refuse'): Promise<void> {
    this.outage = outage;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (outage === 'refuse' && this.server) {
      const server = this.server;
      this.server = undefined;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    if (outage === 'blackhole' && !this.server) await this.listen(this.port);
  }

  /** Forwards again, listening on the port it had. */
  async resume(): Promise<void> {
    if (this.outage === 'blackhole') for (const socket of this.sockets) socket.destroy();
    this.outage = undefined;
    if (!this.server) await this.listen(this.port);
  }

  async stop(): Promise<void> {
    await this.pause('refuse');
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    // A reset on one side is expected when the proxy cuts connections; it must not crash the test run.
    socket.on('error', () => socket.destroy());
  }

  private async listen(port: number): Promise<void> {
    const server = createServer((client) => {
      this.track(client);
      if (this.outage === 'blackhole') return; // accepted, never answered
      const upstream = connect(this.target.port, this.target.host);
      this.track(upstream);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }
}

/** The same postgres:// URL, pointed at the proxy. */
export function proxiedDatabaseUrl(databaseUrl: string, proxy: TcpProxy): string {
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  return url.toString();
}

/** Where a proxy should forward to: a postgres:// URL or a host:port address. */
export function targetOf(address: string): ProxyTarget {
  if (address.includes('://')) {
    const url = new URL(address);
    return { host: url.hostname, port: Number(url.port || 5432) };
  }
  const [host, port] = address.split(':');
  return { host, port: Number(port) };
}
