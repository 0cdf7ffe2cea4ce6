/**
 * What the simulated servers (the sandbox library, the real-name platform) share: JSON answers,
 * bounded request bodies, and a loopback listener that answers 500 rather than dropping a request
 * when a handler fails.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  })
  res.end(text)
}

/**
 * The request body, or undefined when it passes `limit` bytes. The rest is read and dropped, so
 * the client still gets the 413 the caller sends instead of a reset connection.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    let size = 0
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size <= limit) chunks.push(c)
    })
    req.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

export interface LoopbackServer {
  readonly server: Server
  readonly url: string
  close(): Promise<void>
}

/** Listens on 127.0.0.1 (port 0: any free one); a handler that throws gets `internalError` as a 500. */
export async function listenLoopback(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>,
  options: { readonly port?: number; readonly internalError: unknown },
): Promise<LoopbackServer> {
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, options.internalError)
      else res.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
