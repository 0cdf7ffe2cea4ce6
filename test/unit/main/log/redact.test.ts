import { describe, expect, it } from 'vitest'
import { createLogger, redact } from '../../../../src/main/log'

describe('log redaction', () => {
  it('masks ID numbers wherever they appear', () => {
    expect(redact('holder 11010519491231002X read')).toBe('holder 110105********002X read')
    expect(redact('{"id":"440524188001010014"}')).toBe('{"id":"440524********0014"}')
  })

  it('leaves other numbers alone', () => {
    expect(redact('1.2.156.3005.2.11100000000013338W032.91350100M000100Y43.0001.001.A')).toContain(
      '11100000000013338W032',
    )
    expect(redact('port 35963, 1295 bytes')).toBe('port 35963, 1295 bytes')
  })

  it('is applied to every log line, fields included', () => {
    const lines: string[] = []
    const log = createLogger({ sink: (l) => lines.push(l) })
    log.info('card read', { holder: '11010519491231002X', nested: { n: '440524188001010014' } })
    expect(lines.join('\n')).not.toMatch(/11010519491231002X|440524188001010014/)
  })
})
