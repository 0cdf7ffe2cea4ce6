/**
 * One JSON request against servers that misbehave: each way of getting no usable answer reaches
 * the caller's `fail` with its own kind, the caller's cancellation goes up as it is, and any
 * status with its parsed (or unparseable) body comes back for the caller to judge.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requestJson, type HttpFailure, type JsonRequest } from '../../../../src/main/net'

class Failed extends Error {
  constructor(readonly failure: HttpFailure) {
    super(failure)
  }
}

let server: Server
let base: string
const seen: { method?: string; auth?: string; type?: string; body: string }[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      seen.push({
        ...(req.method ? { method: req.method } : {}),
        ...(typeof req.headers['x-auth'] === 'string' ? { auth: req.headers['x-auth'] } : {}),
        ...(req.headers['content-type'] ? { type: req.headers['content-type'] } : {}),
        body,
      })
      if (req.url === '/echo') return res.end(JSON.stringify({ got: body }))
      if (req.url === '/html') return res.writeHead(502).end('<html>502</html>')
      if (req.url === '/big') return res.end(JSON.stringify({ pad: 'x'.repeat(4096) }))
      // A drip: headers at once, then a byte now and then, never finishing.
      res.writeHead(200)
      const t = setInterval(() => res.write(' '), 50)
      res.on('close', () => clearInterval(t))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((r) => server.close(r))
})

const request = (path: string, more: Partial<JsonRequest> = {}): JsonRequest => ({
  url: base + path,
  method: 'GET',
  timeoutMs: 2000,
  limit: 1024,
  fail: (failure) => new Failed(failure),
  ...more,
})

describe('requestJson', () => {
  it('posts JSON with the caller’s headers and returns the status and parsed body', async () => {
    const reply = await requestJson(
      request('/echo', { method: 'POST', body: '{"a":1}', headers: { 'x-auth': 'k' } }),
    )
    expect(reply).toEqual({ status: 200, json: { got: '{"a":1}' } })
    expect(seen.at(-1)).toEqual({
      method: 'POST',
      auth: 'k',
      type: 'application/json',
      body: '{"a":1}',
    })
  })

  it('returns a body that is not JSON as undefined, with its status', async () => {
    expect(await requestJson(request('/html'))).toEqual({ status: 502, json: undefined })
  })

  it('fails as too-large past the limit', async () => {
    await expect(requestJson(request('/big'))).rejects.toMatchObject({ failure: 'too-large' })
  })

  it('fails as timeout when the body never ends', async () => {
    await expect(requestJson(request('/drip', { timeoutMs: 300 }))).rejects.toMatchObject({
      failure: 'timeout',
    })
  })

  it('fails as offline when nobody listens', async () => {
    const closed = createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`
    await new Promise((r) => closed.close(r))
    await expect(requestJson(request('', { url }))).rejects.toMatchObject({ failure: 'offline' })
  })

  it('lets the caller’s own abort through as it is', async () => {
    const controller = new AbortController()
    const pending = requestJson(request('/drip', { signal: controller.signal }))
    setTimeout(() => controller.abort(new Error('clerk cancelled')), 100)
    await expect(pending).rejects.toThrow('clerk cancelled')
  })
})
