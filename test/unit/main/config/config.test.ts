import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CounterError } from '../../../../src/shared/errors'
import {
  assertModeRules,
  loadConfigFile,
  parseConfig,
  resolveConfig,
  trainingConfig,
} from '../../../../src/main/config'

const terminal = {
  id: 'ZZ-JS-03',
  unitName: '郑州市金水区政务服务中心',
  unitCode: '11410105MB1613052U',
  region: '410105',
}
const library = {
  baseUrl: 'https://licence.example.gov.cn/api',
  auth: { kind: 'token', accessId: 'a', token: 't' },
}

function write(content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'cfg-')), 'config.json')
  writeFileSync(file, content)
  return file
}

describe('configuration', () => {
  it('starts in training mode without a file', () => {
    expect(resolveConfig(undefined)).toEqual(trainingConfig())
    expect(trainingConfig().mode).toBe('training')
  })

  it('fills defaults for a minimal production file: a real reader, never the simulated one', () => {
    const c = parseConfig({ terminal, library })
    expect(c.mode).toBe('production')
    expect(c.library?.timeoutMs).toBe(8000)
    expect(c.devices.idcard).toEqual({ kind: 'serial', port: 'auto', baudRate: 115200 })
    expect(parseConfig({ terminal, library, devices: { pollIntervalMs: 300 } }).devices).toEqual({
      idcard: { kind: 'serial', port: 'auto', baudRate: 115200 },
      pollIntervalMs: 300,
    })
  })

  it('fills an absent or partial section from its keys’ own defaults', () => {
    const cache = { scope: 'applicant', lists: true, files: true, ttlMinutes: 60 }
    expect(parseConfig({ terminal, library }).licences).toEqual({
      maxFileMb: 20,
      sealRoots: [],
      cache,
    })
    expect(
      parseConfig({ terminal, library, licences: { cache: { scope: 'terminal' } } }).licences.cache,
    ).toEqual({ ...cache, scope: 'terminal' })
    const c = parseConfig({ terminal, library })
    expect(c.catalogue).toEqual({ source: 'file', trustedKeys: [] })
    expect(c.audit).toEqual({ retentionYears: 3 })
    expect(c.log).toEqual({ level: 'info' })
  })

  it('names the line speeds a reader may be set to', () => {
    const raw = { terminal, library, devices: { idcard: { kind: 'serial', baudRate: 12345 } } }
    expect(() => parseConfig(raw, 'c.json')).toThrow(/115200\|57600\|38400\|19200\|9600/)
  })

  it('gives training mode the simulated reader by default', () => {
    expect(parseConfig({ mode: 'training', terminal }).devices.idcard).toEqual({
      kind: 'simulated',
    })
  })

  it.each([
    [{ devices: { idcard: { kind: 'simulated' } } }, 'devices.idcard.kind', '模拟身份证阅读器'],
    [{ emrtd: { reader: { kind: 'simulated' } } }, 'emrtd.reader.kind', '模拟护照阅读器'],
    [{ cakey: { providers: [{ kind: 'simulated' }] } }, 'cakey.providers[0].kind', '模拟 CA 证书'],
  ])('refuses a simulated device in production, naming the key (%#)', (part, key, what) => {
    expect(() => parseConfig({ terminal, library, ...part }, 'c.json')).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        params: expect.objectContaining({ key }),
        message: expect.stringMatching(
          new RegExp(`^配置文件 c\\.json 中的 ${key.replace(/[.[\]]/g, '\\$&')} 有误：${what}`),
        ),
      }),
    )
  })

  it.each([
    [{ library }, 'library', '电子证照库'],
    [
      { sync: { target: 'frontend', frontend: { url: 'mysql://u:p@10.0.0.5:3306/HN_license' } } },
      'sync.target',
      '前置机',
    ],
    [
      { sync: { target: 'none', frontend: { url: 'mysql://u:p@10.0.0.5:3306/HN_license' } } },
      'sync.frontend',
      '前置机',
    ],
    [
      {
        realname: {
          baseUrl: 'https://auth.example.gov.cn/api',
          certificate: 'u.pem',
          privateKey: 'u.key',
        },
      },
      'realname',
      '出入境证件身份认证平台',
    ],
    [
      { auth: { roster: { url: 'https://unit.example/roster.json' } } },
      'auth.roster.url',
      '人员名单服务',
    ],
  ])('refuses a real service in training mode, naming the key (%#)', (part, key, what) => {
    expect(() => parseConfig({ mode: 'training', terminal, ...part }, 'c.json')).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        params: expect.objectContaining({ key }),
        message: expect.stringContaining(`中的 ${key} 有误：培训模式不得连接真实的${what}`),
      }),
    )
  })

  it('keeps training on the sandbox: pushing to it and a local roster file are fine', () => {
    const c = parseConfig({
      mode: 'training',
      terminal,
      sync: { target: 'library' },
      auth: { roster: { file: 'roster.json' } },
    })
    expect(c.library).toBeUndefined()
    expect(c.sync.target).toBe('library')
  })

  it('refuses, before building anything, a production configuration made in code with the simulated reader', () => {
    const config = {
      ...trainingConfig(),
      mode: 'production' as const,
      library: parseConfig({ terminal, library }).library,
    }
    expect(() => assertModeRules(config)).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        params: expect.objectContaining({ key: 'devices.idcard.kind' }),
      }),
    )
    expect(() => assertModeRules(parseConfig({ terminal, library }))).not.toThrow()
  })

  it.each([
    [{ terminal: { ...terminal, region: '4101' }, library }, 'terminal.region'],
    [{ terminal: { ...terminal, unitCode: '91350100M000100Y44' }, library }, 'terminal.unitCode'],
    [{ terminal, library: { ...library, baseUrl: 'not a url' } }, 'library.baseUrl'],
    [
      { terminal, library, devices: { idcard: { kind: 'serial', baudRate: 12345 } } },
      'devices.idcard.baudRate',
    ],
    [{ terminal, library, libary: {} }, 'libary'],
    [{ terminal }, 'library'],
  ])('names the bad key (%#)', (raw, key) => {
    expect(() => parseConfig(raw, 'x.json')).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', params: expect.objectContaining({ key }) }),
    )
  })

  it('reports every problem at once, each under its own key', () => {
    const raw = {
      terminal: { ...terminal, region: '4101' },
      library: { ...library, timeoutMs: 'fast' },
      libary: {},
      devices: { idcard: { kind: 'simulated' } },
    }
    let error: CounterError | undefined
    try {
      parseConfig(raw, 'c.json')
    } catch (e) {
      error = e as CounterError
    }
    expect(error).toMatchObject({
      code: 'CONFIG_INVALID',
      params: {
        key: 'terminal.region',
        keys: 'terminal.region、library.timeoutMs、libary、devices.idcard.kind',
        count: 4,
      },
    })
    expect(error!.message).toMatch(
      /^配置文件 c\.json 中的 terminal\.region 有误：应为 6 位行政区划代码；library\.timeoutMs 有误：[^；]*数字[^；]*；libary 有误：未知的配置项；devices\.idcard\.kind 有误：模拟身份证阅读器/,
    )
  })

  it('names the key that is wrong, not a neighbour: library.timeoutMs "fast"', () => {
    const problems = (raw: unknown) => {
      try {
        parseConfig(raw)
      } catch (e) {
        return (e as CounterError).params?.keys
      }
    }
    expect(problems({ terminal, library: { ...library, timeoutMs: 'fast' } })).toBe(
      'library.timeoutMs',
    )
    expect(problems({ terminal, library: { timeoutMs: 'fast' } })).toBe(
      'library.baseUrl、library.auth、library.timeoutMs',
    )
    // Each unknown key is its own problem, not a path made of both.
    expect(problems({ terminal, library, libary: {}, devcies: {} })).toBe('libary、devcies')
    // The mode rules count too when something else is broken.
    expect(problems({ terminal: { ...terminal, region: '41' } })).toBe('terminal.region、library')
    expect(problems({ mode: 'training', terminal: { ...terminal, region: '41' }, library })).toBe(
      'terminal.region、library',
    )
  })

  it('reports unreadable files and JSON syntax errors without a stack trace in the message', () => {
    expect(() => loadConfigFile('/nonexistent/config.json')).toThrow(
      expect.objectContaining({ code: 'CONFIG_UNREADABLE' }),
    )
    expect(() => loadConfigFile(write('{ "terminal": '))).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    )
  })

  it('accepts a UTF-8 BOM', () => {
    expect(
      loadConfigFile(write('\uFEFF' + JSON.stringify({ terminal, library }))).terminal.id,
    ).toBe('ZZ-JS-03')
  })
})
