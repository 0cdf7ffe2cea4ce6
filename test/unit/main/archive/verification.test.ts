import { describe, expect, it } from 'vitest'
import {
  describeVerification,
  verificationGood,
  verificationLine,
  type LibraryOutcome,
  type SealOutcome,
} from '../../../../src/main/archive'
import type { SealResult } from '../../../../src/shared/domain'

const at = new Date('2026-05-20T06:32:05Z')
const sig = (status: SealResult['status'], message = '签章有效'): SealResult => ({
  id: 's1',
  status,
  reason: status === 'valid' ? 'ok' : 'x',
  message,
  type: 'Seal',
  signer: '郑州市市场监督管理局',
  stamps: [],
})
const checked = (signatures: SealResult[]): SealOutcome => ({
  kind: 'checked',
  result: {
    signatures,
    allValid: signatures.length > 0 && signatures.every((s) => s.status === 'valid'),
    checkedAt: at.toISOString(),
  },
})
const answered = (status?: string, exists = true): LibraryOutcome => ({
  kind: 'answered',
  exists,
  ...(status ? { status } : {}),
  at,
})
const IN_FORCE = ['有效', '现势', '延续']

describe('verification at print time', () => {
  it('says valid only when every seal verified and the library says the licence is in force', () => {
    const v = describeVerification(checked([sig('valid')]), answered('有效'), IN_FORCE, at)
    expect(verificationLine(v)).toBe(
      '电子签章有效（1 个签章，签章人：郑州市市场监督管理局）；证照库状态：有效（2026年5月20日 14:32 查询）',
    )
    expect(verificationGood(v)).toBe(true)
  })

  it('names what failed, and never turns a missing check into valid', () => {
    const cases: [SealOutcome, LibraryOutcome, string, string][] = [
      [
        checked([sig('valid'), sig('document-altered', '文件在签章后被修改')]),
        answered('有效'),
        'invalid',
        '电子签章核验未通过：文件在签章后被修改（共 2 个签章）',
      ],
      [checked([]), answered('有效'), 'none', '文件未含电子签章'],
      [{ kind: 'image' }, answered('有效'), 'not-applicable', '图像格式，无电子签章可核验'],
      [
        { kind: 'unchecked', reason: '本机未配置签章核验组件' },
        answered('有效'),
        'unchecked',
        '电子签章未核验（本机未配置签章核验组件）',
      ],
    ]
    for (const [seal, lib, state, text] of cases) {
      const v = describeVerification(seal, lib, IN_FORCE, at)
      expect(v.seal).toEqual({ state, text })
      expect(verificationGood(v)).toBe(false)
    }
    const libraries: [LibraryOutcome, string, string][] = [
      [answered('注销'), 'not-in-force', '证照库状态：注销（2026年5月20日 14:32 查询）'],
      [answered(undefined, false), 'not-found', '证照库中查无此证照（2026年5月20日 14:32 查询）'],
      [answered(), 'not-in-force', '证照库状态：未返回状态（2026年5月20日 14:32 查询）'],
      [{ kind: 'unchecked', reason: '证照库离线' }, 'unchecked', '证照库状态未查询（证照库离线）'],
    ]
    for (const [lib, state, text] of libraries) {
      const v = describeVerification(checked([sig('valid')]), lib, IN_FORCE, at)
      expect(v.library.state).toBe(state)
      expect(v.library.text).toBe(text)
      expect(verificationGood(v)).toBe(false)
      expect(verificationLine(v)).not.toMatch(/证照库状态：有效/)
    }
  })
})
