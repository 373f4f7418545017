// A TCP proxy between a terminal and the server that the test controls: it refuses connections,
// cuts requests or responses halfway, swallows the reply after the server committed, slows
// everything down, or answers 500 itself. Real sockets; the server and terminal are real too.
import net from 'node:net';

export type FaultMode = 'pass' | 'refuse' | 'drop-request' | 'drop-response' | 'drop-after-commit' | 'slow' | 'error-500';

export class FaultProxy {
  mode: FaultMode = 'pass';
  /** Bytes of the server's answers seen through 'drop-after-commit' (proof the server answered). */
  swallowedResponses = 0;
  readonly #sockets = new Set<net.Socket>();
  #server: net.Server | null = null;
  #port = 0;

  constructor(
    private readonly upstreamPort: number,
    private readonly slowMs = 4_000,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  async start(): Promise<this> {
    await this.listen();
    return this;
  }

  /** Changes the fault; open connections are cut so the next request sees the new mode. */
  async setMode(mode: FaultMode): Promise<void> {
    this.mode = mode;
    for (const s of this.#sockets) s.destroy();
    if (mode === 'refuse' && this.#server) {
      await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
      this.#server = null;
    } else if (mode !== 'refuse' && !this.#server) {
      await this.listen();
    }
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    if (this.#server) await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }

  private listen(): Promise<void> {
    const server = net.createServer((client) => this.connection(client));
    this.#server = server;
    return new Promise((resolve) => server.listen(this.#port, '127.0.0.1', () => {
      this.#port = (server.address() as net.AddressInfo).port;
      resolve();
    }));
  }

  private track(socket: net.Socket): net.Socket {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    return socket;
  }

  private connection(client: net.Socket): void {
    this.track(client);
    const mode = this.mode;
    if (mode === 'error-500') {
      client.once('data', () => {
        const body = JSON.stringify({ error: { code: 'UNAVAILABLE', message: 'injected by the test proxy' } });
        client.end(`HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
      });
      return;
    }
    const upstream = this.track(net.connect(this.upstreamPort, '127.0.0.1'));
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());

    client.on('data', (chunk: Buffer) => {
      if (mode === 'drop-request') {
        // Half of the first request reaches the server, then the line goes dead.
        upstream.write(chunk.subarray(0, Math.max(1, Math.floor(chunk.length / 2))));
        setTimeout(cut, 20);
        return;
      }
      if (mode === 'slow') setTimeout(() => upstream.write(chunk), this.slowMs);
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (mode === 'drop-after-commit') {
        // The server has answered, so it committed: the terminal never hears of it.
        this.swallowedResponses += 1;
        cut();
        return;
      }
      if (mode === 'drop-response') {
        client.write(chunk.subarray(0, Math.min(chunk.length, 40)));
        setTimeout(cut, 20);
        return;
      }
      if (mode === 'slow') setTimeout(() => client.write(chunk), this.slowMs);
      else client.write(chunk);
    });
  }
}
