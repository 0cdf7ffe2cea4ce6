/**
 * The simulators' shared HTTP plumbing: an oversized body is answered with the 413 the handler
 * chooses (not a reset connection), and a handler that throws becomes a 500 with a JSON body.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  listenLoopback,
  readBody,
  sendJson,
  type LoopbackServer,
} from '../../../../src/main/training/http'

let server: LoopbackServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('simulator HTTP helpers', () => {
  it('reads a body within its limit and answers 413 past it, on the same connection', async () => {
    server = await listenLoopback(
      async (req, res) => {
        const body = await readBody(req, 16)
        if (!body) return sendJson(res, 413, { code: '413' })
        sendJson(res, 200, { echo: body.toString('utf8') })
      },
      { internalError: { code: '500' } },
    )
    const small = await fetch(server.url, { method: 'POST', body: 'hello' })
    expect(small.status).toBe(200)
    expect(await small.json()).toEqual({ echo: 'hello' })
    const big = await fetch(server.url, { method: 'POST', body: 'x'.repeat(100_000) })
    expect(big.status).toBe(413)
    expect(await big.json()).toEqual({ code: '413' })
  })

  it('turns a failing handler into a JSON 500', async () => {
    server = await listenLoopback(
      async () => {
        throw new Error('boom')
      },
      { internalError: { code: '500', message: '内部错误' } },
    )
    const r = await fetch(server.url)
    expect(r.status).toBe(500)
    expect(await r.json()).toEqual({ code: '500', message: '内部错误' })
  })
})
