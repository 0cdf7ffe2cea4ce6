/**
 * The identity authentication client against the simulated platform over loopback HTTP: signed
 * requests are accepted; an unregistered certificate, a replayed nonce, an altered body or a
 * stale timestamp are refused with a typed error; a dead or garbled server is a typed error too.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { silentLogger } from '../../../../../src/main/log'
import {
  createRealnameClient,
  HEADER,
  REALNAME_PATHS,
  signRequest,
} from '../../../../../src/main/realname'
import { startNiaPlatform, type NiaPlatform } from '../../../../../src/main/training/nia-sim'

vi.setConfig({ testTimeout: 30_000 })

let platform: NiaPlatform
const person = {
  documentType: 'passport',
  documentNumber: 'E60418273',
  names: ['刘芳', 'LIU FANG'],
  birthDate: '19860423',
  faceResult: 'match' as const,
}

beforeAll(async () => {
  platform = await startNiaPlatform({ register: [person] })
})
afterAll(async () => {
  await platform?.close()
})

const client = (credentials = platform.credentials, baseUrl = platform.url, timeoutMs = 5000) =>
  createRealnameClient({
    baseUrl,
    credentials,
    unitCode: '11410100MB00000005',
    terminalId: 'T-1',
    timeoutMs,
    logger: silentLogger,
  })

const query = {
  documentType: 'passport' as const,
  documentNumber: 'E60418273',
  name: '刘芳',
  birthDate: '19860423',
}

describe('real-name check', () => {
  it('answers consistent for the registered holder by either name, inconsistent otherwise', async () => {
    expect(await client().checkName(query)).toMatchObject({ result: 'consistent' })
    expect(await client().checkName({ ...query, name: 'Liu Fang' })).toMatchObject({
      result: 'consistent',
    })
    expect(await client().checkName({ ...query, birthDate: '19860424' })).toMatchObject({
      result: 'inconsistent',
    })
    expect(await client().checkName({ ...query, documentNumber: 'E00000000' })).toMatchObject({
      result: 'inconsistent',
    })
  })

  it('refuses a certificate the platform did not issue', async () => {
    await expect(client(platform.issueUnit(false)).checkName(query)).rejects.toMatchObject({
      code: 'REALNAME_REJECTED',
      message: expect.stringContaining('不是本平台签发的'),
    })
  })

  it('refuses a replayed request, an altered body and a stale timestamp', async () => {
    const path = REALNAME_PATHS.name
    const body = new TextEncoder().encode(
      JSON.stringify({ requestId: 'req-000001', unitCode: 'U', terminalId: 'T', ...query }),
    )
    const headers = {
      'content-type': 'application/json',
      ...signRequest(platform.credentials, 'POST', path, body),
    }
    const post = (b: Uint8Array, h: Record<string, string>) =>
      fetch(platform.url + path, { method: 'POST', headers: h, body: b })
    expect((await post(body, headers)).status).toBe(200)
    const replay = await post(body, headers)
    expect(replay.status).toBe(401)
    expect(((await replay.json()) as { message: string }).message).toBe('请求重放')
    const fresh = signRequest(platform.credentials, 'POST', path, body)
    const altered = Uint8Array.from(body)
    altered[altered.length - 3] = 0x30
    const r = await post(altered, { 'content-type': 'application/json', ...fresh })
    expect(((await r.json()) as { message: string }).message).toBe('请求签名无效')
    const old = signRequest(
      platform.credentials,
      'POST',
      path,
      body,
      new Date(Date.now() - 3600_000),
    )
    expect(
      (
        (await (await post(body, { 'content-type': 'application/json', ...old })).json()) as {
          message: string
        }
      ).message,
    ).toBe('请求时间戳超出允许范围')
    const unsigned = { ...headers }
    delete (unsigned as Record<string, string>)[HEADER.signature]
    expect((await post(body, unsigned)).status).toBe(401)
  })
})

describe('failures of the service', () => {
  it('offline, timing out, or answering garbage: typed errors', async () => {
    const dead = createServer()
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', () => r()))
    const port = (dead.address() as AddressInfo).port
    await new Promise<void>((r) => dead.close(() => r()))
    await expect(
      client(undefined, `http://127.0.0.1:${port}`).checkName(query),
    ).rejects.toMatchObject({ code: 'REALNAME_OFFLINE' })

    const slow = createServer((_req, res) => setTimeout(() => res.end('{}'), 2000))
    const garbage = createServer((_req, res) => res.end('<html>'))
    const refused = createServer((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ code: '403', message: '超出授权范围' }))
    })
    for (const s of [slow, garbage, refused])
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))
    const url = (s: typeof slow) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`
    try {
      await expect(client(undefined, url(slow), 300).checkName(query)).rejects.toMatchObject({
        code: 'REALNAME_TIMEOUT',
      })
      await expect(client(undefined, url(garbage)).checkName(query)).rejects.toMatchObject({
        code: 'REALNAME_BAD_RESPONSE',
      })
      await expect(client(undefined, url(refused)).checkName(query)).rejects.toMatchObject({
        code: 'REALNAME_REJECTED',
        message: expect.stringContaining('超出授权范围'),
      })
    } finally {
      for (const s of [slow, garbage, refused]) {
        s.closeAllConnections()
        s.close()
      }
    }
  })

  it('a gateway error is the service being offline; a body that stops half-way times out', async () => {
    const gateway = createServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: 'upstream unavailable' }))
    })
    const drip = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"code":"0",')
    })
    for (const s of [gateway, drip])
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))
    const url = (s: typeof gateway) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`
    try {
      await expect(client(undefined, url(gateway)).checkName(query)).rejects.toMatchObject({
        code: 'REALNAME_OFFLINE',
      })
      await expect(client(undefined, url(drip), 300).checkName(query)).rejects.toMatchObject({
        code: 'REALNAME_TIMEOUT',
      })
    } finally {
      for (const s of [gateway, drip]) {
        s.closeAllConnections()
        s.close()
      }
    }
  })
})
