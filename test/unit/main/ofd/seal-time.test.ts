/**
 * Which time certificate and seal validity are checked at: a verified timestamp's, the signer's
 * own claim, the caller's, or the time of the check — and the result says which. Timestamp
 * tokens are built by test/fixtures/ofd/timestamp.ts with asn1js, not by the verifier's reader.
 */
import { unzipSync, zipSync } from 'fflate'
import { beforeAll, describe, expect, it } from 'vitest'
import { sm2PublicKeyFromPrivate } from '../../../../src/main/crypto'
import {
  buildLicenceOfd,
  issueSm2Certificate,
  loadLicenceTemplate,
  makeSealV4,
  openOfd,
  parseSesSignature,
  signOfd,
  verifyOfd,
  type SealResult,
} from '../../../../src/main/ofd'
import { decode, der, items } from '../../../../src/main/ofd/seal/der'
import { fixtureKey, fixturePki, type FixturePki } from '../../../fixtures/ofd/pki'
import { timestampToken } from '../../../fixtures/ofd/timestamp'
import { fixture, fonts, RESOURCES } from './helpers'

const VALUE = 'Doc_0/Signs/Sign_0/SignedValue.dat'

let pki: FixturePki
let tsa: { key: Uint8Array; certificate: Uint8Array }
let strangeTsa: { key: Uint8Array; certificate: Uint8Array }
beforeAll(async () => {
  pki = await fixturePki()
  const party = (label: string, issuerName: string, issuerKey: Uint8Array, org: string) => {
    const key = fixtureKey(label)
    return {
      key,
      certificate: issueSm2Certificate(
        {
          serial: Uint8Array.of(0x70),
          issuer:
            issuerName === 'root'
              ? [
                  ['C', 'CN'],
                  ['O', 'CounterDesk 测试'],
                  ['CN', 'CounterDesk 测试根证书'],
                ]
              : [
                  ['C', 'CN'],
                  ['O', '未知机构'],
                  ['CN', '不受信任的根证书'],
                ],
          subject: [['CN', org]],
          notBefore: pki.notBefore,
          notAfter: pki.notAfter,
          publicKey: sm2PublicKeyFromPrivate(key),
          ca: false,
        },
        issuerKey,
      ),
    }
  }
  tsa = party('tsa', 'root', pki.root.key, '测试时间戳服务')
  strangeTsa = party('strange tsa', 'other', pki.otherRoot.key, '来历不明的时间戳服务')
})

/** SignedValue.dat with a timeStamp [0] BIT STRING appended. */
function withTimestamp(signedValue: Uint8Array, token: Uint8Array): Uint8Array {
  const parts = items(decode(signedValue)).map((t) => t.raw)
  return der.seq(...parts.slice(0, 4), der.explicit(0, der.bits(token)))
}

function stamped(bytes: Uint8Array, token: (signature: Uint8Array) => Uint8Array): Uint8Array {
  const files: Record<string, Uint8Array> = unzipSync(bytes)
  const ses = parseSesSignature(files[VALUE]!)
  files[VALUE] = withTimestamp(files[VALUE]!, token(ses.signature))
  return zipSync(files)
}

async function only(bytes: Uint8Array, at?: Date): Promise<SealResult> {
  const { signatures } = await verifyOfd(await openOfd(bytes), {
    trust: { certificates: [pki.root.certificate] },
    ...(at ? { at } : {}),
  })
  expect(signatures).toHaveLength(1)
  return signatures[0]!
}

const SIGNED = '2024-05-01T01:30:00.000Z'
const STAMPED = new Date('2024-05-01T01:31:07Z')

describe('the time validity is checked at', { timeout: 60_000 }, () => {
  it('without a timestamp: the signer-asserted time, and the result says so', async () => {
    const s = await only(fixture('licence-v4.ofd'))
    expect(s).toMatchObject({
      status: 'valid',
      signedAt: SIGNED,
      validityAt: SIGNED,
      timeSource: 'signer-asserted',
    })
    expect(s.timestamp).toBeUndefined()
    const given = new Date('2030-01-01T00:00:00Z')
    expect(await only(fixture('licence-v4.ofd'), given)).toMatchObject({
      status: 'valid',
      validityAt: given.toISOString(),
      timeSource: 'given',
    })
  })

  it('with a verified timestamp: its time, and who stamped it', async () => {
    const bytes = stamped(fixture('licence-v4.ofd'), (over) =>
      timestampToken({ tsa, genTime: STAMPED, over }),
    )
    expect(await only(bytes)).toMatchObject({
      status: 'valid',
      signedAt: SIGNED,
      validityAt: STAMPED.toISOString(),
      timeSource: 'timestamp',
      timestamp: { status: 'verified', at: STAMPED.toISOString(), tsa: '测试时间戳服务' },
    })
  })

  it('a timestamp catches a backdated signature from an expired certificate', async () => {
    const template = await loadLicenceTemplate(RESOURCES, 'generic-licence')
    const built = await buildLicenceOfd(
      {
        template,
        fields: {
          licenceName: '测试证照',
          licenceNumber: 'T-002',
          holderName: '张建国',
          holderCode: '410105197805160032',
          issuer: '郑州市民政局',
          issueDate: '2024年05月01日',
          validity: '长期',
          identifier: '1.2.156.3005.2.TEST',
        },
        creationDate: new Date('2024-05-01T00:00:00Z'),
        docId: 'seal-time-test',
      },
      { fonts: fonts() },
    )
    const seal = await makeSealV4(
      {
        esId: 'T-BACKDATED',
        vendorId: 'test',
        type: 1,
        name: '测试印章',
        signerCerts: [pki.expired.certificate],
        createDate: new Date('2015-01-01T00:00:00Z'),
        validStart: new Date('2015-01-01T00:00:00Z'),
        validEnd: pki.notAfter,
        picture: { type: 'PNG', data: new Uint8Array(0), width: 40, height: 40 },
      },
      pki.maker.signer,
    )
    // The certificate was in force only in 2015; the signer claims 2015, long after it expired.
    const backdated = await signOfd(built.bytes, {
      signer: pki.expired.signer,
      seal,
      stamp: built.stamp,
      time: new Date('2015-06-01T00:00:00Z'),
    })
    expect(await only(backdated)).toMatchObject({
      status: 'valid',
      timeSource: 'signer-asserted',
    })
    const caught = stamped(backdated, (over) => timestampToken({ tsa, genTime: STAMPED, over }))
    expect(await only(caught)).toMatchObject({
      status: 'certificate-untrusted',
      reason: 'certificate-expired',
      signedAt: '2015-06-01T00:00:00.000Z',
      validityAt: STAMPED.toISOString(),
      timeSource: 'timestamp',
    })
  })

  it('a timestamp over other bytes, or with a broken TSA signature, makes the signature invalid', async () => {
    const elsewhere = stamped(fixture('licence-v4.ofd'), () =>
      timestampToken({ tsa, genTime: STAMPED, over: new Uint8Array(64) }),
    )
    expect(await only(elsewhere)).toMatchObject({
      status: 'signature-invalid',
      reason: 'timestamp-invalid',
      timestamp: { status: 'invalid' },
    })
    const broken = stamped(fixture('licence-v4.ofd'), (over) =>
      timestampToken({ tsa, genTime: STAMPED, over, breakSignature: true }),
    )
    expect(await only(broken)).toMatchObject({
      status: 'signature-invalid',
      reason: 'timestamp-invalid',
      detail: '时间戳签名无效',
    })
    const garbage = stamped(fixture('licence-v4.ofd'), () => Uint8Array.of(0x30, 0x03, 2, 1, 1))
    expect(await only(garbage)).toMatchObject({
      status: 'signature-invalid',
      reason: 'timestamp-invalid',
    })
  })

  it('a timestamp from a TSA we do not trust proves nothing: the signer-asserted time is used', async () => {
    const bytes = stamped(fixture('licence-v4.ofd'), (over) =>
      timestampToken({ tsa: strangeTsa, genTime: STAMPED, over }),
    )
    expect(await only(bytes)).toMatchObject({
      status: 'valid',
      validityAt: SIGNED,
      timeSource: 'signer-asserted',
      timestamp: { status: 'untrusted', tsa: '来历不明的时间戳服务' },
    })
  })
})
