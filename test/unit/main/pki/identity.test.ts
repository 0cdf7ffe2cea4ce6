/**
 * The holder's identity as Chinese CAs write it: the number in serialNumber (with or without a
 * prefix), OU, UID, organizationIdentifier, the CN (`张三@4101…`), the GB/T 20518 IdentifyCode or
 * OrganizationCode extension, or a subjectAltName otherName; names in UTF8String, BMPString, or
 * GBK bytes inside PrintableString / TeletexString. And a mapping a province can configure.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  asn1,
  DEFAULT_IDENTITY_MAPPING,
  extractIdentity,
  OID,
  parseCertificate,
  type ExtensionSpec,
  type NameSpecEntry,
} from '../../../../src/main/pki'
import { sm2Ca } from '../../../fixtures/pki/test-pki'

const ca = sm2Ca()
const cert = (subject: NameSpecEntry[], extensions?: ExtensionSpec[]) =>
  ca.issue({ subject, ...(extensions ? { extensions } : {}) }).cert

const GBK_ZHANGSAN = Uint8Array.of(0xd5, 0xc5, 0xc8, 0xfd) // 张三
const PERSON = '410105197805160032'
const USCC = '91410105MA44K7QX15'

describe('person certificates', () => {
  it.each<[string, NameSpecEntry[], ExtensionSpec[]?]>([
    [
      'serialNumber with an SF prefix',
      [
        ['CN', '张三'],
        ['serialNumber', `SF${PERSON}`],
      ],
    ],
    [
      'serialNumber bare',
      [
        ['CN', '张三'],
        ['serialNumber', PERSON],
      ],
    ],
    ['the number inside the CN', [['CN', `张三@${PERSON}`]]],
    ['code@name@number@sequence in the CN', [['CN', `041@张三@${PERSON}@1`]]],
    ['bracketed in the CN', [['CN', `张三（${PERSON}）`]]],
    [
      'UID',
      [
        ['CN', '张三'],
        ['UID', PERSON],
      ],
    ],
    [
      'OU',
      [
        ['O', '某单位'],
        ['OU', PERSON],
        ['CN', '张三'],
      ],
    ],
    [
      'BMPString CN',
      [
        ['CN', '张三', 'bmp'],
        ['serialNumber', PERSON, 'printable'],
      ],
    ],
    [
      'GBK bytes in a PrintableString',
      [
        ['CN', { tag: 0x13, bytes: GBK_ZHANGSAN }],
        ['serialNumber', PERSON],
      ],
    ],
    [
      'GBK bytes in a TeletexString',
      [
        ['CN', { tag: 0x14, bytes: GBK_ZHANGSAN }],
        ['serialNumber', PERSON],
      ],
    ],
    [
      'IdentifyCode extension, IMPLICIT [0]',
      [['CN', '张三']],
      [{ oid: OID.cnIdentifyCode, value: asn1.der(0x80, Buffer.from(PERSON)) }],
    ],
    [
      'IdentifyCode extension, EXPLICIT [0] PrintableString',
      [['CN', '张三']],
      [{ oid: OID.cnIdentifyCode, value: asn1.explicit(0, asn1.printable(PERSON)) }],
    ],
  ])('%s', (_label, subject, extensions) => {
    expect(extractIdentity(cert(subject, extensions))).toMatchObject({
      kind: 'person',
      name: '张三',
      idNumber: PERSON,
      checkOk: true,
    })
  })

  it('a number failing its check digit in a declared field is taken, flagged', () => {
    const bad = '410105197805160031'
    const id = extractIdentity(
      cert([['CN', '李四']], [{ oid: OID.cnIdentifyCode, value: asn1.printable(bad) }]),
    )
    expect(id).toMatchObject({ kind: 'person', idNumber: bad, checkOk: false })
  })

  it('prefers a valid number in a later field to a broken one in an earlier field', () => {
    const id = extractIdentity(
      cert(
        [
          ['CN', '李四'],
          ['serialNumber', PERSON],
        ],
        [{ oid: OID.cnIdentifyCode, value: asn1.printable('410105197805160031') }],
      ),
    )
    expect(id).toMatchObject({ idNumber: PERSON, checkOk: true, source: 'subject:serialNumber' })
  })
})

describe('enterprise certificates', () => {
  it.each<[string, NameSpecEntry[], ExtensionSpec[]?]>([
    [
      'OU',
      [
        ['O', '郑州市金水区鑫源餐饮管理有限公司'],
        ['OU', USCC],
        ['CN', '经办人'],
      ],
    ],
    [
      'organizationIdentifier NTRCN-',
      [
        ['O', '郑州市金水区鑫源餐饮管理有限公司'],
        ['organizationIdentifier', `NTRCN-${USCC}`],
      ],
    ],
    [
      'serialNumber',
      [
        ['CN', '郑州市金水区鑫源餐饮管理有限公司'],
        ['serialNumber', USCC],
      ],
    ],
    ['CN with the code', [['CN', `郑州市金水区鑫源餐饮管理有限公司@${USCC}`]]],
    [
      'OrganizationCode extension',
      [['O', '郑州市金水区鑫源餐饮管理有限公司']],
      [{ oid: OID.cnOrganizationCode, value: asn1.printable(USCC) }],
    ],
  ])('%s', (_label, subject, extensions) => {
    expect(extractIdentity(cert(subject, extensions))).toMatchObject({
      kind: 'enterprise',
      name: '郑州市金水区鑫源餐饮管理有限公司',
      uscc: USCC,
      checkOk: true,
    })
  })

  it('reads the OpenSSL-made enterprise certificates', () => {
    const dir = join(import.meta.dirname, '../../../fixtures/pki/openssl')
    expect(
      extractIdentity(parseCertificate(readFileSync(join(dir, 'rsa-enterprise.pem')))),
    ).toEqual({
      kind: 'enterprise',
      name: '河南中原智造科技有限公司',
      uscc: '91410100MA47DR2P28',
      checkOk: true,
      source: 'subject:OU',
    })
  })
})

describe("an employee's personal certificate: the person's number and the employer's USCC", () => {
  const UNIT = '郑州市金水区政务服务中心'
  const UNIT_USCC = '11410105MB1613052U'
  it.each<[string, NameSpecEntry[], ExtensionSpec[]?]>([
    [
      // GB/T 20518 OrganizationCode extension (the unit) ahead of the subject's serialNumber.
      'unit USCC in the OrganizationCode extension, ID number in serialNumber',
      [
        ['C', 'CN'],
        ['O', UNIT],
        ['CN', '张三'],
        ['serialNumber', `SF${PERSON}`],
      ],
      [{ oid: OID.cnOrganizationCode, value: asn1.printable(UNIT_USCC) }],
    ],
    [
      'OU = unit USCC, CN = name@number',
      [
        ['C', 'CN'],
        ['O', UNIT],
        ['OU', UNIT_USCC],
        ['CN', `张三@${PERSON}`],
      ],
    ],
    [
      'organizationIdentifier NTRCN-, ID number in UID',
      [
        ['C', 'CN'],
        ['O', UNIT],
        ['organizationIdentifier', `NTRCN-${UNIT_USCC}`],
        ['CN', '张三'],
        ['UID', PERSON],
      ],
    ],
    [
      'both GB/T 20518 extensions, the unit first',
      [
        ['O', UNIT],
        ['CN', '张三', 'bmp'],
      ],
      [
        { oid: OID.cnOrganizationCode, value: asn1.printable(UNIT_USCC) },
        { oid: OID.cnIdentifyCode, value: asn1.der(0x80, Buffer.from(PERSON)) },
      ],
    ],
    [
      'the USCC in serialNumber, the ID number in the CN',
      [
        ['O', UNIT],
        ['serialNumber', UNIT_USCC],
        ['CN', `041@张三@${PERSON}@1`],
      ],
    ],
  ])('%s: a person, with the organisation beside', (_label, subject, extensions) => {
    expect(extractIdentity(cert(subject, extensions))).toMatchObject({
      kind: 'person',
      name: '张三',
      idNumber: PERSON,
      checkOk: true,
      organization: { name: UNIT, uscc: UNIT_USCC, checkOk: true },
    })
  })

  it('keeps the organisation even when its name is not in the certificate', () => {
    const id = extractIdentity(
      cert([
        ['OU', UNIT_USCC],
        ['CN', `张三@${PERSON}`],
      ]),
    )
    expect(id).toMatchObject({ kind: 'person', organization: { name: '', uscc: UNIT_USCC } })
  })

  it('a declared IdentifyCode failing its check digit still makes it a person’s', () => {
    const bad = '410105197805160031'
    const id = extractIdentity(
      cert(
        [
          ['O', UNIT],
          ['OU', UNIT_USCC],
          ['CN', '李四'],
        ],
        [{ oid: OID.cnIdentifyCode, value: asn1.printable(bad) }],
      ),
    )
    expect(id).toMatchObject({
      kind: 'person',
      idNumber: bad,
      checkOk: false,
      organization: { uscc: UNIT_USCC },
    })
  })

  it('a certificate with only a USCC stays an enterprise’s, with no organisation beside', () => {
    const id = extractIdentity(
      cert([
        ['O', UNIT],
        ['OU', UNIT_USCC],
        ['CN', UNIT],
      ]),
    )
    expect(id.kind).toBe('enterprise')
    expect(id.organization).toBeUndefined()
  })

  it('`whenBoth: enterprise` reads them as the enterprise, for a CA that writes the representative’s number', () => {
    const c = cert([
      ['O', UNIT],
      ['OU', UNIT_USCC],
      ['CN', `张三@${PERSON}`],
    ])
    expect(extractIdentity(c, { ...DEFAULT_IDENTITY_MAPPING, whenBoth: 'enterprise' })).toEqual({
      kind: 'enterprise',
      name: UNIT,
      uscc: UNIT_USCC,
      checkOk: true,
      source: 'subject:OU',
    })
  })
})

describe('a configured mapping', () => {
  it('finds the number where a provincial CA puts it: a subjectAltName otherName', () => {
    const otherNameOid = '1.2.156.112586.1.4'
    const san = asn1.seq(
      asn1.der(0xa0, asn1.oid(otherNameOid), asn1.explicit(0, asn1.utf8(`SFZ:${PERSON}`))),
    )
    const c = cert([['CN', '王五']], [{ oid: OID.subjectAltName, value: san }])
    // Not among the defaults…
    expect(() => extractIdentity(c)).toThrow(expect.objectContaining({ code: 'CERT_NO_IDENTITY' }))
    // …configured, it is found.
    const mapping = {
      ...DEFAULT_IDENTITY_MAPPING,
      rules: [
        {
          from: 'san' as const,
          field: otherNameOid,
          kind: 'person' as const,
          pattern: 'SFZ:(?<id>\\d{17}[\\dX])',
        },
      ],
    }
    expect(extractIdentity(c, mapping)).toMatchObject({
      kind: 'person',
      name: '王五',
      idNumber: PERSON,
      source: `san:${otherNameOid}`,
    })
  })

  it('a rule with a regular expression picks the number out of a free-text field', () => {
    const c = cert([
      ['CN', '赵六'],
      ['description', `证件号码=${PERSON};类型=1`],
    ])
    const mapping = {
      ...DEFAULT_IDENTITY_MAPPING,
      rules: [
        {
          from: 'subject' as const,
          field: 'description',
          kind: 'person' as const,
          pattern: '证件号码=(?<id>[0-9X]{18})',
        },
      ],
    }
    expect(extractIdentity(c, mapping)).toMatchObject({ idNumber: PERSON, name: '赵六' })
  })

  it('a certificate naming nobody is CERT_NO_IDENTITY', () => {
    expect(() =>
      extractIdentity(
        cert([
          ['CN', 'www.example.com'],
          ['O', 'Example'],
        ]),
      ),
    ).toThrow(expect.objectContaining({ code: 'CERT_NO_IDENTITY' }))
  })
})
