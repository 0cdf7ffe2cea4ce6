import { describe, expect, it } from 'vitest'
import { SW3_ERRORS, sw3Error } from '../../../../../src/main/devices/idcard'
import { describeError, errorCatalogue } from '../../../../../src/shared/errors'

/** Every SW3 the reference lists besides success and "card found". */
const DOCUMENTED = [
  0x10, 0x11, 0x21, 0x23, 0x24, 0x31, 0x32, 0x33, 0x40, 0x41, 0x47, 0x60, 0x66, 0x80, 0x81, 0x91,
]

describe('SW3 codes', () => {
  it('maps every documented SW3 to its own typed error', () => {
    const codes = DOCUMENTED.map((sw3) => sw3Error(sw3, 'read').code)
    expect(new Set(codes).size).toBe(DOCUMENTED.length)
    expect(
      Object.keys(SW3_ERRORS)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual(DOCUMENTED)
  })

  it.each(DOCUMENTED.map((sw3) => [sw3.toString(16).toUpperCase(), sw3]))(
    'SW3 %s has a Chinese message, a hint and an English text',
    (_name, sw3) => {
      const error = sw3Error(sw3, 'read')
      const entry = errorCatalogue[error.code]
      expect(entry.zh.message).toMatch(/[\u4e00-\u9fff]/)
      expect(entry.zh.hint.length).toBeGreaterThan(3)
      expect(entry.en.message.length).toBeGreaterThan(3)
      expect(error.message).not.toContain('{')
      expect(describeError(error.code, error.params, 'en').hint.length).toBeGreaterThan(3)
    },
  )

  it('names the code in the message and the log detail', () => {
    const e = sw3Error(0x41, 'read')
    expect(e.code).toBe('IDCARD_READ_FAILED')
    expect(e.message).toContain('41')
    expect(e.detail).toBe('read: SW3=41')
  })

  it('gives an undocumented SW3 a generic error that still shows the value', () => {
    const e = sw3Error(0x5a, 'select')
    expect(e.code).toBe('IDCARD_SAM_STATUS')
    expect(e.message).toContain('5A')
  })
})
