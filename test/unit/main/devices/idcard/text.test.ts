import { describe, expect, it } from 'vitest'
import { idNumberCheckOk, NATIONS, parseIdCardText } from '../../../../../src/main/devices/idcard'
import { encodeIdCardText, TRAINING_CARDS } from '../../../../../src/main/training'
import { checkCitizenId } from '../../../../../src/shared/ids'

/** The text at a reference offset, read independently of the parser's layout table. */
const at = (block: Uint8Array, offset: number, length: number) =>
  Buffer.from(block.subarray(offset, offset + length))
    .toString('utf16le')
    .trimEnd()

describe('ID card text block', () => {
  it.each(TRAINING_CARDS.map((c) => [c.id, c] as const))(
    'round-trips %s through the chip layout',
    (_id, card) => {
      expect(parseIdCardText(encodeIdCardText(card.text))).toEqual(card.text)
    },
  )

  it('reads the resident layout at the reference offsets', () => {
    const block = encodeIdCardText(TRAINING_CARDS[0]!.text)
    expect(at(block, 0, 30)).toBe('张建国')
    expect(at(block, 122, 36)).toBe('410105197805160032')
    expect(at(block, 204, 16)).toBe('20360301')
    expect(block[248]).toBe(0x20)
  })

  it('reads 长期 as long-term', () => {
    const li = TRAINING_CARDS.find((c) => c.id === 'resident-li')!
    expect(parseIdCardText(encodeIdCardText(li.text)).validTo).toBe('long-term')
  })

  it('gives a typed error for an unknown type flag', () => {
    const block = encodeIdCardText(TRAINING_CARDS[0]!.text)
    block.set(Buffer.from('Q', 'utf16le'), 248)
    expect(() => parseIdCardText(block)).toThrow(
      expect.objectContaining({ code: 'IDCARD_TEXT_UNKNOWN_TYPE' }),
    )
  })

  it('gives a typed error for invalid UTF-16 (a lone surrogate)', () => {
    const block = encodeIdCardText(TRAINING_CARDS[0]!.text)
    block.set([0x00, 0xd8], 0)
    expect(() => parseIdCardText(block)).toThrow(
      expect.objectContaining({ code: 'IDCARD_TEXT_INVALID' }),
    )
  })

  it('gives a typed error for a wrong length and for a non-date', () => {
    expect(() => parseIdCardText(new Uint8Array(100))).toThrow(
      expect.objectContaining({ code: 'IDCARD_TEXT_INVALID' }),
    )
    const block = encodeIdCardText(TRAINING_CARDS[0]!.text)
    block.set(Buffer.from('19781340', 'utf16le'), 36)
    expect(() => parseIdCardText(block)).toThrow(
      expect.objectContaining({ code: 'IDCARD_TEXT_INVALID' }),
    )
  })
})

describe('the four layouts at the reference offsets', () => {
  const byId = (id: string) => TRAINING_CARDS.find((c) => c.id === id)!

  it('J: pass number 220/18, issue count 238/4, flag J at 248', () => {
    const block = encodeIdCardText(byId('permit-chen').text)
    expect(at(block, 0, 30)).toBe('陈嘉欣')
    expect(at(block, 122, 36)).toBe('810000199509120024')
    expect(at(block, 220, 18)).toBe('H60412785')
    expect(at(block, 238, 4)).toBe('01')
    expect(at(block, 248, 2)).toBe('J')
    expect(at(block, 32, 4)).toBe('') // nation reserved
  })

  it('I (2017): English name 0/120, number 122/30, nationality 152/6, Chinese name 158/30', () => {
    const block = encodeIdCardText(byId('foreigner-smith-2017').text)
    expect(at(block, 0, 120)).toBe('SMITH, MICHAEL JOHN')
    expect(at(block, 120, 2)).toBe('1')
    expect(at(block, 122, 30)).toBe('USA410185051201')
    expect(at(block, 152, 6)).toBe('USA')
    expect(at(block, 158, 30)).toBe('史密斯')
    expect(at(block, 220, 16)).toBe('19850512')
    expect(at(block, 236, 4)).toBe('01')
    expect(at(block, 240, 8)).toBe('1500')
    expect(at(block, 248, 2)).toBe('I')
  })

  it('Y (2023): English name 52/70, number 122/36, nationality 242/6', () => {
    const block = encodeIdCardText(byId('foreigner-garcia-2023').text)
    expect(at(block, 0, 30)).toBe('加西亚·玛丽亚')
    expect(at(block, 52, 70)).toBe('GARCIA MARIA')
    expect(at(block, 122, 36)).toBe('934840198802290023')
    expect(at(block, 238, 4)).toBe('00')
    expect(at(block, 242, 6)).toBe('ESP')
    expect(at(block, 248, 2)).toBe('Y')
  })

  it('parses a hand-built Y block that only the reference offsets describe', () => {
    const block = new Uint8Array(256)
    for (let i = 0; i < 256; i += 2) block[i] = 0x20
    const put = (offset: number, s: string) => block.set(Buffer.from(s, 'utf16le'), offset)
    put(0, '李明')
    put(30, '1')
    put(36, '19900101')
    put(52, 'LEE MING')
    put(122, '915840199001010018')
    put(158, '国家移民管理局')
    put(188, '20240101')
    put(204, '20340101')
    // 220/18 is nine UTF-16 characters, whatever a previous number looked like.
    put(220, 'E12345678')
    put(238, '01')
    put(242, 'SGP')
    put(248, 'Y')
    expect(parseIdCardText(block)).toMatchObject({
      type: 'Y',
      name: '李明',
      englishName: 'LEE MING',
      nationality: 'SGP',
      previousCardNumber: 'E12345678',
      renewalCount: '01',
      validTo: '2034-01-01',
    })
  })

  it('maps the nation code through GB/T 3304, including the last entries', () => {
    const card = TRAINING_CARDS[0]!.text
    for (const [code, name] of [
      ['05', '维吾尔'],
      ['56', '基诺'],
      ['97', '其他'],
      ['98', '外国血统中国籍人士'],
    ] as const) {
      const parsed = parseIdCardText(encodeIdCardText({ ...card, nationCode: code, nation: name }))
      expect(parsed.nation).toBe(name)
    }
    expect(Object.keys(NATIONS)).toHaveLength(58)
    const unknown = parseIdCardText(
      encodeIdCardText({ ...card, nationCode: '77', nation: undefined }),
    )
    expect(unknown.nationCode).toBe('77')
    expect(unknown.nation).toBeUndefined()
  })

  it('accepts fields padded with NUL instead of spaces', () => {
    const block = encodeIdCardText(TRAINING_CARDS[0]!.text)
    for (let i = 6; i < 30; i++) block[i] = 0
    expect(parseIdCardText(block).name).toBe('张建国')
  })

  it.each(
    TRAINING_CARDS.filter((c) => c.text.idNumber.length === 18).map((c) => [c.id, c] as const),
  )('%s: the number agrees with the birth date and the sex (digit 17 odd = male)', (_id, card) => {
    const facts = checkCitizenId(card.text.idNumber)
    expect(facts.birthDate).toBe(card.text.birth)
    expect(facts.sex).toBe(card.text.sex)
  })

  it('flags a failed check digit as a warning value, not an error', () => {
    const zhao = byId('resident-zhao-badcheck')
    expect(parseIdCardText(encodeIdCardText(zhao.text)).idNumber).toBe('410105201803150025')
    expect(idNumberCheckOk('resident', '410105201803150025')).toBe(false)
    expect(idNumberCheckOk('resident', '11010519491231002X')).toBe(true)
    expect(idNumberCheckOk('resident', '440524188001010014')).toBe(true)
    expect(idNumberCheckOk('Y', '934840198802290023')).toBe(true)
    expect(idNumberCheckOk('I', 'USA410185051201')).toBeNull()
  })
})
