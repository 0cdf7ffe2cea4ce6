import { createServer, type RequestListener } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createLibraryClient, type WireQuery } from '../../../../src/main/licences'
import { silentLogger } from '../../../../src/main/log'
import { startSandboxLibrary, type SandboxLibrary } from '../../../../src/main/training'

const query: WireQuery = {
  holderCode: '410105197805160032',
  holderIdentityType: '111',
  licenseTypeCodes: ['11100000000014146K004'],
  useReason: '办理生育登记',
  serviceItemCode: '410100-WJW-0012',
  operator: { name: '培训学员', code: 'TRAINEE', role: 'clerk' },
  terminalId: 'T1',
}

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of closers.splice(0)) await c()
})

async function hostile(handler: RequestListener): Promise<string> {
  const server = createServer(handler)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  closers.push(() => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

function client(baseUrl: string, token = 'x', timeoutMs = 2000) {
  return createLibraryClient({
    baseUrl,
    auth: { kind: 'token', accessId: 'training', token },
    timeoutMs,
    retries: 1,
    logger: silentLogger,
  })
}

async function sandbox(): Promise<SandboxLibrary> {
  const s = await startSandboxLibrary()
  closers.push(() => s.close())
  return s
}

describe('library client against the sandbox', () => {
  it('lists the holder’s licences of the asked types', async () => {
    const s = await sandbox()
    const list = await client(s.url, s.token).query(query)
    expect(list.map((l) => l.licenseTypeName)).toEqual(['结婚证'])
    expect(list[0]!.holderIdentityNum).toBe(query.holderCode)
  })

  it('reports refused credentials as LIBRARY_UNAUTHORIZED', async () => {
    const s = await sandbox()
    await expect(client(s.url, 'wrong').query(query)).rejects.toMatchObject({
      code: 'LIBRARY_UNAUTHORIZED',
    })
  })

  it('verifies licence information', async () => {
    const s = await sandbox()
    const [l] = await client(s.url, s.token).query(query)
    const c = client(s.url, s.token)
    expect(
      await c.verifyInfo(l!.licenseIdentifier, { holderIdentityNum: query.holderCode }),
    ).toMatchObject({ exists: true, consistent: true })
    expect(
      await c.verifyInfo(l!.licenseIdentifier, { holderIdentityNum: '11010519491231002X' }),
    ).toMatchObject({ exists: true, consistent: false })
  })
})

describe('library client against broken servers', () => {
  it('offline: nothing listening', async () => {
    const url = await hostile(() => {})
    await closers.pop()!()
    await expect(client(url).query(query)).rejects.toMatchObject({ code: 'LIBRARY_OFFLINE' })
  })

  it('5xx, after retrying', async () => {
    let hits = 0
    const url = await hostile((_q, r) => (hits++, r.writeHead(503).end('{}')))
    await expect(client(url).query(query)).rejects.toMatchObject({
      code: 'LIBRARY_SERVER_ERROR',
      params: { status: 503 },
    })
    expect(hits).toBe(2)
  })

  it.each([
    ['not JSON', 'hello'],
    [
      'wrong types',
      JSON.stringify({ code: '0', data: { total: 1, list: [{ licenseIdentifier: 5 }] } }),
    ],
    ['missing data', JSON.stringify({ code: '0' })],
  ])('malformed response: %s', async (_n, body) => {
    const url = await hostile((_q, r) =>
      r.writeHead(200, { 'content-type': 'application/json' }).end(body),
    )
    await expect(client(url).query(query)).rejects.toMatchObject({ code: 'LIBRARY_BAD_RESPONSE' })
  })

  it('a huge payload is cut off, not buffered', async () => {
    const url = await hostile((_q, r) => {
      r.writeHead(200, { 'content-type': 'application/json' })
      const chunk = 'x'.repeat(1 << 20)
      let sent = 0
      const pump = () => {
        while (sent < 64 && r.write(chunk)) sent++
        if (sent < 64) r.once('drain', pump)
        else r.end()
      }
      pump()
    })
    await expect(client(url).query(query)).rejects.toMatchObject({ code: 'LIBRARY_BAD_RESPONSE' })
  })

  it('a slow drip times out', async () => {
    const url = await hostile((_q, r) => {
      r.writeHead(200, { 'content-type': 'application/json' })
      const t = setInterval(() => r.write(' '), 100)
      r.on('close', () => clearInterval(t))
    })
    await expect(client(url, 'x', 400).query(query)).rejects.toMatchObject({
      code: 'LIBRARY_TIMEOUT',
    })
  })

  it('4xx with a message is a rejection naming the reason', async () => {
    const url = await hostile((_q, r) =>
      r
        .writeHead(400, { 'content-type': 'application/json' })
        .end(JSON.stringify({ code: '400', message: '缺少用证事由' })),
    )
    await expect(client(url).query(query)).rejects.toMatchObject({
      code: 'LIBRARY_REJECTED',
      params: { reason: '缺少用证事由' },
    })
  })
})
