/**
 * Reading a response from a server that may be hostile: within the limit the body arrives whole;
 * past it (declared or streamed without a length) the read stops early instead of buffering all.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readBounded } from '../../../../src/main/net'

let server: Server
let base: string
let streamedBytes = 0

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/small') return res.end('hello')
    if (req.url === '/declared') {
      res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) })
      return res.end() // lies: the length alone must be enough to refuse
    }
    // An endless body without a length: chunks until the client goes away.
    res.writeHead(200)
    const chunk = Buffer.alloc(64 * 1024, 0x61)
    const pump = () => {
      while (!res.destroyed && streamedBytes < 512 * 1024 * 1024) {
        streamedBytes += chunk.length
        if (!res.write(chunk)) return void res.once('drain', pump)
      }
      res.end()
    }
    pump()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((r) => server.close(r))
})

describe('readBounded', () => {
  it('returns a body within the limit', async () => {
    expect((await readBounded(await fetch(`${base}/small`), 16))?.toString()).toBe('hello')
  })

  it('refuses a declared length past the limit without reading', async () => {
    expect(await readBounded(await fetch(`${base}/declared`), 1024)).toBeUndefined()
  })

  it('stops an endless body soon after the limit', async () => {
    expect(await readBounded(await fetch(`${base}/endless`), 1024 * 1024)).toBeUndefined()
    // The server was cut off long before it could send its 512 MB.
    expect(streamedBytes).toBeLessThan(64 * 1024 * 1024)
  })
})
