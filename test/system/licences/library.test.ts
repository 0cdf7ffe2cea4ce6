/**
 * The library client against the sandbox library running as its own process, as a terminal meets
 * a provincial gateway: app-key request signing (and a refused replay), then a hostile library in
 * each of its failure modes. Every failure is a clear error within the timeout, never a hang.
 */
import { createHmac, randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createLibraryClient,
  createOfdAdapter,
  signingString,
  type LibraryClient,
  type WireQuery,
} from '../../../src/main/licences'
import { silentLogger } from '../../../src/main/log'
import { HOLDERS } from '../../../src/main/training'
import { root, sandboxProcess, type SandboxProcess } from './cli'

const query: WireQuery = {
  holderCode: HOLDERS.zhang.code,
  holderIdentityType: '111',
  licenseTypeCodes: ['11100000717832007F001', '11100000000014146K004'],
  useReason: '办理不动产转移登记，核验权属及婚姻状况',
  serviceItemCode: '410100-ZRZY-0031',
  operator: { name: '系统测试', code: 'SYS', role: 'clerk' },
  terminalId: 'SYS-01',
}

const started: SandboxProcess[] = []
afterAll(() => started.forEach((s) => s.stop()))

async function start(...args: string[]): Promise<SandboxProcess> {
  const s = await sandboxProcess(args)
  started.push(s)
  return s
}

function appKeyClient(url: string, secret: string, timeoutMs = 4000): LibraryClient {
  return createLibraryClient({
    baseUrl: url,
    auth: { kind: 'appkey', appKey: 'window-410105', appSecret: secret },
    timeoutMs,
    retries: 1,
    logger: silentLogger,
  })
}

describe('app-key request signing against a separate library process', () => {
  let s: SandboxProcess
  beforeAll(async () => {
    s = await start('--app-key', 'window-410105', '--app-secret', 'correct-secret', '--files')
  })

  it('signed reads are accepted; files arrive whole and their seals verify against the library’s roots', async () => {
    const c = appKeyClient(s.url, 'correct-secret')
    const list = await c.query(query)
    expect(list.map((l) => l.licenseTypeName).sort()).toEqual([
      '不动产权证书',
      '不动产权证书',
      '结婚证',
    ])
    const file = await c.file({
      licenseIdentifier: list[0]!.licenseIdentifier,
      format: 'ofd',
      useReason: query.useReason,
      serviceItemCode: query.serviceItemCode,
      operator: query.operator,
      terminalId: query.terminalId,
    })
    expect(file.annotation?.reason).toBe(query.useReason)
    const roots = s.sealRoots!.map((b) => new Uint8Array(Buffer.from(b, 'base64')))
    const ofd = createOfdAdapter({ resourcesDir: join(root, 'resources'), trust: () => roots })
    expect((await ofd.verify(file.bytes)).seal.state).toBe('valid')
    expect(
      await c.verifyFile(file.identifier, { sm3: file.sm3, size: file.bytes.length }),
    ).toMatchObject({
      consistent: true,
    })
  })

  it('a wrong secret is LIBRARY_UNAUTHORIZED; a replayed signature is refused', async () => {
    await expect(appKeyClient(s.url, 'wrong-secret').query(query)).rejects.toMatchObject({
      code: 'LIBRARY_UNAUTHORIZED',
    })
    const body = JSON.stringify(query)
    const path = '/share/v1/licences/query'
    const timestamp = String(Math.floor(Date.now() / 1000))
    const nonce = randomUUID()
    const signature = createHmac('sha256', 'correct-secret')
      .update(signingString('POST', path, timestamp, nonce, body))
      .digest('base64')
    const send = (sentBody: string, sentNonce: string, sig: string) =>
      fetch(s.url + path, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-app-key': 'window-410105',
          'x-timestamp': timestamp,
          'x-nonce': sentNonce,
          'x-signature': sig,
        },
        body: sentBody,
      })
    expect((await send(body, nonce, signature)).status).toBe(200)
    expect((await send(body, nonce, signature)).status).toBe(401)
    // Another holder's code under a signature made for this body: refused.
    const nonce2 = randomUUID()
    const sig2 = createHmac('sha256', 'correct-secret')
      .update(signingString('POST', path, timestamp, nonce2, body))
      .digest('base64')
    const widened = JSON.stringify({ ...query, holderCode: HOLDERS.li.code })
    expect((await send(widened, nonce2, sig2)).status).toBe(401)
  })
})

describe('a hostile library process', () => {
  // Every fault mode is covered in-process (test/unit/main/licences); here the command line's
  // own switch, on the two that stress the transport most.
  it.each([
    ['drip:100', 'LIBRARY_TIMEOUT'],
    ['huge:67108864', 'LIBRARY_BAD_RESPONSE'],
  ])('--fault %s → %s, within bounded time', async (fault, code) => {
    const s = await start('--fault', fault)
    const c = createLibraryClient({
      baseUrl: s.url,
      auth: { kind: 'token', accessId: s.accessId, token: s.token },
      timeoutMs: 1500,
      retries: 1,
      logger: silentLogger,
    })
    const t = Date.now()
    await expect(c.query(query)).rejects.toMatchObject({ code })
    expect(Date.now() - t).toBeLessThan(8000)
    // The library still answers pings: the fault is in its answers, not its reachability.
    expect(await c.ping()).toBe(true)
  })

  it('--fault invalid-ofd: the file is refused before anything parses it', async () => {
    const s = await start('--fault', 'invalid-ofd:truncated')
    const c = createLibraryClient({
      baseUrl: s.url,
      auth: { kind: 'token', accessId: s.accessId, token: s.token },
      timeoutMs: 4000,
      retries: 0,
      logger: silentLogger,
    })
    const [l] = await c.query(query)
    const file = await c.file({
      licenseIdentifier: l!.licenseIdentifier,
      format: 'ofd',
      useReason: query.useReason,
      serviceItemCode: query.serviceItemCode,
      operator: query.operator,
      terminalId: query.terminalId,
    })
    const { sniffFile } = await import('../../../src/main/licences')
    expect(() => sniffFile(file.format, file.bytes)).toThrow(
      expect.objectContaining({ code: 'LICENCE_FILE_INVALID' }),
    )
  })
})
