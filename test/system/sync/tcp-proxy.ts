/**
 * A TCP proxy the tests control, between the pusher and the real MariaDB: it can stop listening
 * (the server is down: connections refused), reset every open connection, reset connections
 * after a number of bytes (mid-statement), and delay the server's answers (a slow server, from
 * the start or after a number of bytes) —
 * without touching the shared MariaDB itself.
 */
import { createServer, Socket, type AddressInfo, type Server } from 'node:net'

export class TcpProxy {
  private server: Server | undefined
  private readonly sockets = new Set<Socket>()
  private port = 0
  /** Delay added to every chunk the server sends back (ms). */
  delayMs = 0
  /**
   * Apply `delayMs` only once this many bytes went upstream on a connection: the server turns
   * slow in the middle of a session, after it has answered some statements promptly.
   */
  slowAfterBytes = 0
  /** Reset a connection once this many bytes went upstream on it (undefined: never). */
  resetAfterBytes: number | undefined
  /**
   * Go down (as `down()`) once this many bytes went upstream over all connections since it was
   * set: the server dies in the middle of a push, however fast the pusher is.
   */
  downAfterBytes: number | undefined
  private upSinceArmed = 0
  /** Connections accepted so far. */
  connections = 0

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  get url(): string {
    return `127.0.0.1:${this.port}`
  }

  async start(): Promise<number> {
    const server = createServer((client) => this.accept(client))
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.port, '127.0.0.1', () => resolve())
    })
    this.port = (server.address() as AddressInfo).port
    this.server = server
    return this.port
  }

  private accept(client: Socket): void {
    this.connections++
    const upstream = new Socket()
    this.sockets.add(client).add(upstream)
    let sentUp = 0
    const drop = () => {
      for (const s of [client, upstream]) {
        this.sockets.delete(s)
        if (!s.destroyed) s.resetAndDestroy()
      }
    }
    client.on('error', drop)
    upstream.on('error', drop)
    client.on('close', drop)
    upstream.on('close', drop)
    upstream.connect(this.targetPort, this.targetHost)
    client.on('data', (chunk: Buffer) => {
      sentUp += chunk.length
      if (this.downAfterBytes !== undefined) {
        this.upSinceArmed += chunk.length
        if (this.upSinceArmed > this.downAfterBytes) {
          this.downAfterBytes = undefined
          this.upSinceArmed = 0
          void this.down()
          return
        }
      }
      if (this.resetAfterBytes !== undefined && sentUp > this.resetAfterBytes) return drop()
      upstream.write(chunk)
    })
    upstream.on('data', (chunk: Buffer) => {
      if (this.delayMs <= 0 || sentUp <= this.slowAfterBytes) return void client.write(chunk)
      upstream.pause()
      setTimeout(() => {
        if (!client.destroyed) client.write(chunk)
        upstream.resume()
      }, this.delayMs)
    })
  }

  /** Every open connection is reset (RST), as when the server process dies. */
  resetAll(): void {
    for (const s of [...this.sockets]) if (!s.destroyed) s.resetAndDestroy()
    this.sockets.clear()
  }

  /** The server is down: open connections reset, new ones refused. */
  async down(): Promise<void> {
    const server = this.server
    this.server = undefined
    this.resetAll()
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  /** The server is back, on the same port. */
  async up(): Promise<void> {
    if (!this.server) await this.start()
  }

  async stop(): Promise<void> {
    await this.down()
  }
}
