/**
 * Whatever a call to the core rejects with becomes something the error surface can show; what
 * is not an error from the core is worded by the shared catalogue, in both languages.
 */
import { describe, expect, it } from 'vitest'
import { asErrorInfo } from '../../../src/renderer/src/counter'
import { localiseError, translate } from '../../../src/renderer/src/i18n'

describe('asErrorInfo', () => {
  it('keeps an error from the core as it is', () => {
    const info = { code: 'LIBRARY_OFFLINE', message: '无法连接电子证照库', hint: '检查网络' }
    expect(asErrorInfo({ ...info, stack: 'x' })).toEqual(info)
  })

  it.each([new Error('boom'), 'boom', null, undefined, { code: 1, message: 'm', hint: 'h' }])(
    'turns anything else into the catalogue’s internal error (%#)',
    (thrown) => {
      const info = asErrorInfo(thrown)
      expect(info).toEqual({
        code: 'INTERNAL',
        message: '程序内部错误',
        hint: '请重试；如反复出现，请联系运维人员并提供日志。',
      })
      expect(localiseError(info, 'en')).toEqual({
        message: 'Internal error',
        hint: 'Try again; if it keeps happening, send the log to support.',
      })
    },
  )
})

describe('translate', () => {
  it('fills the placeholders given and leaves the others as written, in both languages', () => {
    expect(translate('zh-CN', 'app.terminal', { id: 'ZZ-JS-03' })).toBe('终端 ZZ-JS-03')
    expect(translate('en', 'app.terminal', { id: 7 })).toBe('Terminal 7')
    expect(translate('en', 'app.terminal', { other: 'x' })).toBe('Terminal {id}')
    expect(translate('zh-CN', 'app.terminal')).toBe('终端 {id}')
  })
})
