// A TCP proxy between a terminal and the server that the test controls: it refuses connections,
// cuts requests or responses halfway, swallows the reply after the server committed, slows
// everything down, answers 500 itself (or any answer the test gives it), or closes the connection
// under the next request (as a kept-alive connection that died while the network was down does). Real sockets; the server and terminal are real too.
import net from 'node:net';

export type FaultMode = 'pass' | 'refuse' | 'drop-request' | 'drop-response' | 'drop-after-commit' | 'slow' | 'error-500' | 'canned' | 'body-limit' | 'cut-next-request';

/** What the proxy answers every request with in 'canned' mode, as a proxy or another server might. */
export type CannedAnswer = { status: number; contentType: string; body: string };

export class FaultProxy {
  mode: FaultMode = 'pass';
  /** Bytes of the server's answers seen through 'drop-after-commit' (proof the server answered). */
  swallowedResponses = 0;
  /** 'body-limit': a request body over this many bytes is answered 413 by the proxy, as nginx's client_max_body_size does. */
  maxBodyBytes = 1024 * 1024;
  /** 'body-limit': the requests refused as too large. */
  refusedAsTooLarge = 0;
  /** 'canned': the answer to every request. */
  canned: CannedAnswer = { status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'UNAVAILABLE', message: 'injected by the test proxy' } }) };
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

  /**
   * Changes the fault; open connections are cut so the next request sees the new mode, except for
   * 'cut-next-request', which cuts the next request on whichever connection it comes (then passes).
   */
  async setMode(mode: FaultMode): Promise<void> {
    this.mode = mode;
    if (mode !== 'cut-next-request') for (const s of this.#sockets) s.destroy();
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
    if (mode === 'error-500' || mode === 'canned') {
      const body = JSON.stringify({ error: { code: 'UNAVAILABLE', message: 'injected by the test proxy' } });
      const answer = mode === 'canned' ? this.canned : { status: 500, contentType: 'application/json', body };
      client.once('data', () => {
        client.end(`HTTP/1.1 ${answer.status} Injected\r\ncontent-type: ${answer.contentType}\r\ncontent-length: ${Buffer.byteLength(answer.body)}\r\nconnection: close\r\n\r\n${answer.body}`);
      });
      return;
    }
    const upstream = this.track(net.connect(this.upstreamPort, '127.0.0.1'));
    if (mode === 'body-limit') {
      this.limitBodies(client, upstream);
      return;
    }
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());

    client.on('data', (chunk: Buffer) => {
      if (this.mode === 'cut-next-request') {
        // Nothing reaches the server: the connection closes under the request, once.
        this.mode = 'pass';
        cut();
        return;
      }
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

  /**
   * Forwards request after request on one connection, reading each one's headers: one whose
   * Content-Length is over maxBodyBytes gets nginx's 413 page and the connection is closed.
   */
  private limitBodies(client: net.Socket, upstream: net.Socket): void {
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    let head = Buffer.alloc(0);
    let bodyLeft = 0;
    let refusing = false;
    client.on('data', (chunk: Buffer) => {
      let rest = chunk;
      while (rest.length > 0) {
        if (bodyLeft > 0) {
          // A refused body is read to its end and dropped (nginx's lingering close), so the
          // client, still sending, does not see the connection reset before the answer.
          const part = rest.subarray(0, bodyLeft);
          if (!refusing) upstream.write(part);
          bodyLeft -= part.length;
          rest = rest.subarray(part.length);
          if (refusing && bodyLeft === 0) client.end();
          continue;
        }
        if (refusing) return;
        head = Buffer.concat([head, rest]);
        rest = Buffer.alloc(0);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        const headers = head.subarray(0, end + 4);
        rest = head.subarray(end + 4);
        head = Buffer.alloc(0);
        bodyLeft = Number(/\r\ncontent-length:\s*(\d+)/i.exec(headers.toString('latin1'))?.[1] ?? 0);
        if (bodyLeft > this.maxBodyBytes) {
          this.refusedAsTooLarge += 1;
          refusing = true;
          const page = '<html><head><title>413 Request Entity Too Large</title></head><body><center><h1>413 Request Entity Too Large</h1></center><hr><center>nginx</center></body></html>';
          client.write(`HTTP/1.1 413 Request Entity Too Large\r\ncontent-type: text/html\r\ncontent-length: ${page.length}\r\nconnection: close\r\n\r\n${page}`);
        } else {
          upstream.write(headers);
        }
      }
    });
  }
}
