import { describe, expect, it } from 'vitest'
import {
  checkDigit,
  decodeGbkLetters,
  encodeGbkLetters,
  mrzDateToIso,
  mrzInfoFromFields,
  mrzInformation,
  parseChipMrz,
  parseMrz,
  parseMrzInfo,
} from '../../../../../src/main/devices/emrtd'

describe('check digits and MRZ information', () => {
  it('reproduces the BAC example’s MRZ information', () => {
    expect(checkDigit('L898902C<')).toBe(3)
    expect(checkDigit('690806')).toBe(1)
    expect(checkDigit('940623')).toBe(6)
    expect(mrzInformation('L898902C', '690806', '940623')).toBe('L898902C<369080619406236')
  })

  it('normalises hand-entered key fields and rejects impossible dates', () => {
    expect(
      mrzInfoFromFields({
        documentNumber: ' l898902c ',
        birthDate: '1969-08-06',
        expiryDate: '940623',
      }),
    ).toMatchObject({ mrzInfo: 'L898902C<369080619406236', documentNumber: 'L898902C' })
    expect(() =>
      mrzInfoFromFields({ documentNumber: 'E1', birthDate: '691306', expiryDate: '940623' }),
    ).toThrow(expect.objectContaining({ code: 'EMRTD_MRZ_INVALID' }))
  })

  it('parses --mrz-info and refuses a wrong check digit', () => {
    expect(parseMrzInfo('L898902C<369080619406236')).toEqual({
      documentNumber: 'L898902C<',
      birthDate: '690806',
      expiryDate: '940623',
    })
    expect(() => parseMrzInfo('L898902C<469080619406236')).toThrow(
      expect.objectContaining({ code: 'EMRTD_MRZ_INVALID' }),
    )
  })
})

describe('ICAO layouts (Doc 9303 specimens)', () => {
  it('TD3 passport', () => {
    const m = parseMrz([
      'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<',
      'L898902C36UTO7408122F1204159ZE184226B<<<<<10',
    ])
    expect(m).toMatchObject({
      format: 'TD3',
      documentCode: 'P',
      issuingState: 'UTO',
      documentNumber: 'L898902C3',
      birthDate: '740812',
      expiryDate: '120415',
      sex: 'female',
      surname: 'ERIKSSON',
      givenNames: 'ANNA MARIA',
      valid: true,
      mrzInfo: 'L898902C3674081221204159',
    })
  })

  it('flags exactly the field whose check digit is wrong', () => {
    const m = parseMrz(
      'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408123F1204159ZE184226B<<<<<10',
    )
    expect(m.valid).toBe(false)
    expect(m.checks).toMatchObject({
      documentNumber: true,
      birthDate: false,
      expiryDate: true,
      composite: false,
    })
  })

  it('TD1 card and TD2 document', () => {
    expect(
      parseMrz([
        'I<UTOD231458907<<<<<<<<<<<<<<<',
        '7408122F1204159UTO<<<<<<<<<<<6',
        'ERIKSSON<<ANNA<MARIA<<<<<<<<<<',
      ]),
    ).toMatchObject({
      format: 'TD1',
      documentNumber: 'D23145890',
      valid: true,
      surname: 'ERIKSSON',
    })
    expect(
      parseMrz(['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6']),
    ).toMatchObject({ format: 'TD2', documentNumber: 'D23145890', valid: true })
  })

  it('rejects what fits no layout with a typed error', () => {
    expect(() => parseMrz('P<UTO')).toThrow(expect.objectContaining({ code: 'EMRTD_MRZ_INVALID' }))
    expect(() => parseMrz('p<uto é')).toThrow(
      expect.objectContaining({ code: 'EMRTD_MRZ_INVALID' }),
    )
  })
})

describe('Chinese exit-entry layouts', () => {
  const cs = (number: string, expiry: string, birth: string) => {
    const head = `CS${number}${checkDigit(number)}<${expiry}${checkDigit(expiry)}<${birth}${checkDigit(birth)}<`
    const composite = checkDigit(head.slice(2, 12) + head.slice(13, 20) + head.slice(21, 28))
    return head + composite
  }

  it('CS one-line MRZ: number, dates and composite check', () => {
    const line = cs('C60412785', '290615', '950912')
    expect(line).toHaveLength(30)
    const m = parseMrz(line)
    expect(m).toMatchObject({
      format: 'CS',
      documentCode: 'CS',
      documentNumber: 'C60412785',
      birthDate: '950912',
      expiryDate: '290615',
      valid: true,
      mrzInfo: `C60412785${checkDigit('C60412785')}950912${checkDigit('950912')}290615${checkDigit('290615')}`,
    })
    const tampered = line.slice(0, 29) + String((Number(line[29]) + 1) % 10)
    expect(parseMrz(tampered).checks.composite).toBe(false)
  })

  it('decodes the GBK name of a CS chip DG1 (证 = D6A4 = NGKE)', () => {
    expect(decodeGbkLetters('NGKE')).toBe('证')
    expect(encodeGbkLetters('陈嘉欣', 12)).toHaveLength(12)
    expect(decodeGbkLetters(encodeGbkLetters('陈嘉欣', 12))).toBe('陈嘉欣')
    expect(decodeGbkLetters('QQ')).toBeUndefined()
    const dg1 =
      cs('C60412785', '290615', '950912') +
      encodeGbkLetters('陈嘉欣', 12) +
      'CHEN<<JIAXIN'.padEnd(18, '<') +
      'F' +
      '<<<<<' +
      '<<' +
      'HEN' +
      '<'.repeat(19)
    expect(dg1).toHaveLength(90)
    expect(parseChipMrz(dg1)).toMatchObject({
      chineseName: '陈嘉欣',
      surname: 'CHEN',
      givenNames: 'JIAXIN',
      sex: 'female',
      placeOfBirth: 'HEN',
      valid: true,
    })
  })

  it('CR three-line permit, new and old (C<, 11-character number)', () => {
    const l1 = (type: string, number: string, expiry: string, sex: string, birth: string) => {
      const pad = number.length === 9 ? '<<<' : '<'
      return `${type}${number}${checkDigit(number)}${pad}${expiry}${checkDigit(expiry)}${sex}${birth}${checkDigit(birth)}`
    }
    const first = l1('CR', 'H60412785', '310101', 'M', '880229')
    expect(first).toHaveLength(30)
    const m = parseMrz([first, '<'.repeat(19) + 'A123456<7<<', 'WONG<<KA<MING<<<<<<<<<<<<<<<<<'])
    expect(m).toMatchObject({
      format: 'CR',
      documentCode: 'CR',
      documentNumber: 'H60412785',
      sex: 'male',
      birthDate: '880229',
      expiryDate: '310101',
      surname: 'WONG',
      givenNames: 'KA MING',
      valid: true,
    })
    const old = l1('C<', 'H6041278501', '310101', 'F', '880229')
    expect(old).toHaveLength(30)
    expect(parseMrz([old, '<'.repeat(30), 'WONG<<MEI<<<<<<<<<<<<<<<<<<<<<'])).toMatchObject({
      documentNumber: 'H6041278501',
      valid: true,
    })
  })

  it('resolves two-digit years', () => {
    const today = new Date('2025-06-01T00:00:00Z')
    expect(mrzDateToIso('690806', 'birth', today)).toBe('1969-08-06')
    expect(mrzDateToIso('180315', 'birth', today)).toBe('2018-03-15')
    expect(mrzDateToIso('940623', 'expiry', today)).toBe('1994-06-23')
    expect(mrzDateToIso('340623', 'expiry', today)).toBe('2034-06-23')
    expect(mrzDateToIso('341323', 'expiry', today)).toBeUndefined()
  })
})
