import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
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

  it('fills defaults for a minimal production file', () => {
    const c = parseConfig({ terminal, library })
    expect(c.mode).toBe('production')
    expect(c.library?.timeoutMs).toBe(8000)
    expect(c.devices.idcard).toEqual({ kind: 'simulated' })
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
