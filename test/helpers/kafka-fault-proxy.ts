import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of one Kafka broker, for a real network fault that only the
 * clients pointed at it see: {@link KafkaFaultProxy.cut} closes every connection and refuses new
 * ones (ECONNREFUSED), {@link KafkaFaultProxy.restore} listens again on the same port. The shared
 * broker itself keeps running for everyone else.
 *
 * A Kafka client bootstraps, then connects to the addresses the Metadata response advertises
 * (`host`, then the port as a big-endian INT32). To keep the client on the proxy, every response
 * frame from the broker has the broker's port after its advertised host rewritten to the proxy's
 * port: the same length, so no size field changes (Kafka protocol: a response is an INT32 size and
 * that many bytes; Metadata's broker entry is node_id INT32, host STRING/COMPACT_STRING, port INT32
 * — https://kafka.apache.org/protocol#The_Messages_Metadata).
 *
 * @example
 * ```ts
 * const proxy = await KafkaFaultProxy.start('127.0.0.1:9092');
 * const producer = new Producer({ bootstrapBrokers: [proxy.address], ... });
 * await proxy.cut(); // … the producer's sends fail …
 * await proxy.restore();
 * ```
 */
class KafkaFaultProxy {
  readonly #broker: { host: string; port: number };
  readonly #sockets = new Set<Socket>();
  #server?: Server;
  #port = 0;

  private constructor(broker: string) {
    const [host = '', port = ''] = broker.split(':');
    this.#broker = { host, port: Number(port) };
  }

  static async start(broker: string): Promise<KafkaFaultProxy> {
    const proxy = new KafkaFaultProxy(broker);
    await proxy.restore();
    return proxy;
  }

  /** `127.0.0.1:<port>`, for `bootstrapBrokers`. */
  get address(): string {
    return `127.0.0.1:${this.#port}`;
  }

  /** Listens (again, on the same port once it has one). */
  async restore(): Promise<void> {
    if (this.#server) return;
    const server = createServer((client) => this.#pipe(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    this.#port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  /** Drops every connection and refuses new ones. */
  async cut(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async stop(): Promise<void> {
    await this.cut();
  }

  #pipe(client: Socket): void {
    const upstream = connect(this.#broker.port, this.#broker.host);
    for (const socket of [client, upstream]) {
      this.#sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.#sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    let pending = Buffer.alloc(0);
    upstream.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4) {
        const size = pending.readInt32BE(0);
        if (pending.length < 4 + size) break;
        client.write(this.#rewrite(pending.subarray(0, 4 + size)));
        pending = pending.subarray(4 + size);
      }
    });
  }

  /** The broker's advertised `host` + port replaced by `host` + the proxy's port, in one frame. */
  #rewrite(frame: Buffer): Buffer {
    const host = Buffer.from(this.#broker.host);
    const from = Buffer.alloc(4);
    from.writeInt32BE(this.#broker.port);
    const needle = Buffer.concat([host, from]);
    let at = frame.indexOf(needle);
    if (at === -1) return frame;
    const copy = Buffer.from(frame);
    while (at !== -1) {
      copy.writeInt32BE(this.#port, at + host.length);
      at = copy.indexOf(needle, at + needle.length);
    }
    return copy;
  }
}

export { KafkaFaultProxy };
