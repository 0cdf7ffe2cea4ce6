/**
 * The simulated documents: a TD3 passport, a CS exit-entry permit card and a CR travel permit,
 * each generated with real LDS files, keys and a security object signed by our own test CSCA —
 * plus variants carrying the faults the clerk must learn to recognise. The people are fictional.
 */
import { digest, type HashName } from '../../crypto'
import {
  caOid,
  checkDigit,
  encodeGbkLetters,
  encodeTlv,
  mrzInformation,
  OID,
  paceOid,
  type CipherSuite,
  type LdsFileName,
} from '../../devices/emrtd'
import { drawFace, faceJpeg, faceJpeg2000, type FaceLook } from './faces'
import {
  aaInfo,
  buildCom,
  buildDg1,
  buildDg11,
  buildDg12,
  buildDg14,
  buildDg15,
  buildDg2,
  caInfo,
  caPublicKeyInfo,
  ldsSecurityObject,
  paceInfo,
  securityInfos,
} from './lds-builder'
import {
  certificate,
  ecKeyFromSeed,
  rsaKey,
  signedData,
  spkiOf,
  type NameParts,
  type SignatureScheme,
  type SimKey,
} from './pki'

export type DocumentKind = 'passport' | 'cs' | 'cr'

export interface DocumentFaults {
  /** Data group changed after signing: Passive Authentication must report the alteration. */
  readonly tamperedDg?: 1 | 2 | 11
  /** Document signer certificate expired a month ago. */
  readonly expiredDs?: boolean
  /** Signed under a CSCA that is not in the trust store. */
  readonly unknownCsca?: boolean
  /** The printed MRZ (what the clerk types) does not open the chip. */
  readonly wrongMrz?: boolean
}

export interface DocumentSpec {
  readonly id: string
  readonly label: string
  readonly kind: DocumentKind
  readonly documentCode: string
  readonly number: string
  readonly surname: string
  readonly givenNames: string
  readonly chineseName: string
  readonly sex: 'M' | 'F'
  /** YYYY-MM-DD */
  readonly birthDate: string
  readonly placeOfBirth: string
  readonly regionalId?: string
  /** Years before now the document was issued; it runs ten years (CR: five). */
  readonly issuedYearsAgo: number
  readonly face: 'jpeg' | 'jpeg2000'
  readonly look: FaceLook
  readonly pace?: { readonly cipher: CipherSuite; readonly parameterId: number }
  readonly ca?: { readonly curve: string; readonly cipher: CipherSuite }
  readonly aa?: 'rsa' | 'ecdsa'
  readonly signer: SignatureScheme
  readonly can: string
  readonly faults?: DocumentFaults
}

const LIU: Omit<DocumentSpec, 'id' | 'label'> = {
  kind: 'passport',
  documentCode: 'PO',
  number: 'E60418273',
  surname: 'LIU',
  givenNames: 'FANG',
  chineseName: '刘芳',
  sex: 'F',
  birthDate: '1986-04-23',
  placeOfBirth: '河南',
  issuedYearsAgo: 3,
  face: 'jpeg2000',
  look: { skin: [228, 190, 160], hair: [34, 28, 26], clothes: [40, 52, 78], longHair: true },
  pace: { cipher: 'AES-128', parameterId: 13 },
  ca: { curve: 'brainpoolP256r1', cipher: 'AES-128' },
  aa: 'ecdsa',
  signer: 'ecdsa',
  can: '418273',
}

export const TRAINING_DOCUMENTS: readonly DocumentSpec[] = [
  { id: 'passport-liu', label: '刘芳（普通护照，PACE）', ...LIU },
  {
    id: 'permit-cs-wang',
    label: '王晓东（往来港澳通行证）',
    kind: 'cs',
    documentCode: 'CS',
    number: 'C60412785',
    surname: 'WANG',
    givenNames: 'XIAODONG',
    chineseName: '王晓东',
    sex: 'M',
    birthDate: '1992-11-05',
    placeOfBirth: 'HEN',
    issuedYearsAgo: 2,
    face: 'jpeg',
    look: { skin: [222, 184, 150], hair: [20, 18, 18], clothes: [28, 30, 36], longHair: false },
    aa: 'rsa',
    signer: 'rsa-pss',
    can: '412785',
  },
  {
    id: 'permit-cr-wong',
    label: '黄家明（港澳居民来往内地通行证）',
    kind: 'cr',
    documentCode: 'CR',
    number: 'H60523194',
    surname: 'WONG',
    givenNames: 'KA MING',
    chineseName: '黄家明',
    sex: 'M',
    birthDate: '1988-02-29',
    placeOfBirth: 'HKG',
    regionalId: 'A1234567',
    issuedYearsAgo: 1,
    face: 'jpeg',
    look: { skin: [214, 176, 142], hair: [48, 40, 36], clothes: [90, 96, 104], longHair: false },
    pace: { cipher: 'AES-128', parameterId: 12 },
    ca: { curve: 'secp256r1', cipher: '3DES' },
    signer: 'rsa-pkcs1',
    can: '523194',
  },
  {
    id: 'passport-liu-tampered',
    label: '刘芳（护照，芯片数据被篡改）',
    ...LIU,
    faults: { tamperedDg: 1 },
  },
  {
    id: 'passport-liu-expired-ds',
    label: '刘芳（护照，签名证书已过期）',
    ...LIU,
    faults: { expiredDs: true },
  },
  {
    id: 'passport-foreign',
    label: 'ERIKSSON（外国护照，根证书未导入）',
    ...LIU,
    documentCode: 'P',
    number: 'L898902C3',
    surname: 'ERIKSSON',
    givenNames: 'ANNA MARIA',
    chineseName: '',
    birthDate: '1974-08-12',
    placeOfBirth: 'ZENITH',
    face: 'jpeg',
    signer: 'ecdsa',
    can: '898902',
    faults: { unknownCsca: true },
  },
  {
    id: 'passport-liu-wrong-mrz',
    label: '刘芳（护照，机读码与芯片不符）',
    ...LIU,
    faults: { wrongMrz: true },
  },
]

export function trainingDocument(id: string): DocumentSpec | undefined {
  return TRAINING_DOCUMENTS.find((d) => d.id === id)
}

// ---------------------------------------------------------------------------------------------

const CSCA_NAME: NameParts = { C: 'CN', O: 'CounterDesk Training', CN: 'Training CSCA China' }
const FOREIGN_CSCA_NAME: NameParts = { C: 'UT', O: 'Utopia', CN: 'Utopia CSCA' }

export interface EmrtdTrainingPki {
  readonly csca: {
    readonly key: SimKey
    readonly name: NameParts
    readonly certificate: Uint8Array
  }
  readonly foreignCsca: {
    readonly key: SimKey
    readonly name: NameParts
    readonly certificate: Uint8Array
  }
}

let pki: EmrtdTrainingPki | undefined

/**
 * The test CSCA (brainpoolP256r1, explicit parameters in its certificate) is derived from a
 * fixed label, so its certificate is byte-identical on every run and can be imported once.
 */
export function emrtdTrainingPki(): EmrtdTrainingPki {
  if (pki) return pki
  const mk = (n: NameParts, key: SimKey, hash: HashName) => ({
    key,
    name: n,
    certificate: certificate({
      serial: 0x0100n,
      issuer: n,
      subject: n,
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2045-01-01T00:00:00Z'),
      subjectKey: key,
      issuerKey: key,
      scheme: 'ecdsa',
      hash,
      ca: true,
      explicitParameters: true,
    }),
  })
  pki = {
    csca: mk(CSCA_NAME, ecKeyFromSeed('brainpoolP256r1', 'CounterDesk training CSCA CN'), 'sha256'),
    foreignCsca: mk(
      FOREIGN_CSCA_NAME,
      ecKeyFromSeed('secp384r1', 'CounterDesk training CSCA UT'),
      'sha384',
    ),
  }
  return pki
}

export interface ChipImage {
  readonly spec: DocumentSpec
  readonly files: ReadonlyMap<LdsFileName, Uint8Array>
  readonly cardAccess: Uint8Array | undefined
  /** The key the chip accepts. */
  readonly mrzInfo: string
  /** The data page's MRZ lines, as the clerk sees and types them. */
  readonly printedMrz: readonly string[]
  readonly can: string
  readonly paceOid: string | undefined
  readonly paceParameterId: number | undefined
  readonly caKey: SimKey | undefined
  readonly caOid: string | undefined
  readonly aaKey: SimKey | undefined
  readonly documentSigner: Uint8Array
}

const yymmdd = (iso: string) => iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10)

function addYears(d: Date, years: number): Date {
  const out = new Date(d)
  out.setUTCFullYear(out.getUTCFullYear() + years)
  return out
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10)

function nameField(surname: string, given: string, width: number): string {
  return `${surname}<<${given.replace(/ /g, '<')}`.padEnd(width, '<').slice(0, width)
}

/** MRZ lines (printed) and the chip's DG1 text for a spec and dates. */
export function mrzFor(spec: DocumentSpec, expiry: string): { lines: string[]; chip: string } {
  const birth = yymmdd(spec.birthDate)
  const exp = yymmdd(expiry)
  const n = spec.number
  if (spec.kind === 'passport') {
    const l1 = `${spec.documentCode.padEnd(2, '<')}${spec.documentCode === 'P' ? 'UTO' : 'CHN'}${nameField(spec.surname, spec.givenNames, 39)}`
    const personal = '<'.repeat(14)
    const body = `${n}${checkDigit(n)}${spec.documentCode === 'P' ? 'UTO' : 'CHN'}${birth}${checkDigit(birth)}${spec.sex}${exp}${checkDigit(exp)}${personal}<`
    const composite = checkDigit(body.slice(0, 10) + body.slice(13, 20) + body.slice(21, 43))
    const l2 = body + composite
    return { lines: [l1, l2], chip: l1 + l2 }
  }
  if (spec.kind === 'cs') {
    const head = `CS${n}${checkDigit(n)}<${exp}${checkDigit(exp)}<${birth}${checkDigit(birth)}<`
    const line = head + checkDigit(head.slice(2, 12) + head.slice(13, 20) + head.slice(21, 28))
    const chip =
      line +
      encodeGbkLetters(spec.chineseName, 12) +
      nameField(spec.surname, spec.givenNames, 18) +
      spec.sex +
      '<<<<<' +
      '<<' +
      spec.placeOfBirth.padEnd(3, '<').slice(0, 3) +
      '<'.repeat(19)
    return { lines: [line], chip }
  }
  const l1 = `CR${n}${checkDigit(n)}<<<${exp}${checkDigit(exp)}${spec.sex}${birth}${checkDigit(birth)}`
  const l2 = ('<'.repeat(19) + (spec.regionalId ?? '')).padEnd(30, '<')
  const l3 = nameField(spec.surname, spec.givenNames, 30)
  return { lines: [l1, l2, l3], chip: l1 + l2 + l3 }
}

/** The issue and expiry dates a document is generated with, relative to `now`. */
export function documentDates(spec: DocumentSpec, now: Date): { issued: Date; expiry: Date } {
  const issued = addYears(now, -spec.issuedYearsAgo)
  issued.setUTCMonth(issued.getUTCMonth() - 2)
  issued.setUTCHours(0, 0, 0, 0)
  return { issued, expiry: addYears(issued, spec.kind === 'cr' ? 5 : 10) }
}

/** The data page's MRZ: what the clerk reads off and types (wrong for the `wrongMrz` variant). */
export function printedMrzFor(spec: DocumentSpec, now: Date = new Date()): string[] {
  const { expiry } = documentDates(spec, now)
  if (!spec.faults?.wrongMrz) return mrzFor(spec, isoDate(expiry)).lines
  // The data page carries another (well-formed) birth date than the chip was personalised with.
  const alt = {
    ...spec,
    birthDate: spec.birthDate.replace(
      /-(\d\d)$/,
      (_, d: string) => `-${String((Number(d) % 28) + 1).padStart(2, '0')}`,
    ),
  }
  return mrzFor(alt, isoDate(expiry)).lines
}

const cache = new Map<string, Promise<ChipImage>>()

/** Builds (once per run) the chip contents for a training document. */
export function chipImage(spec: DocumentSpec, now: Date = new Date()): Promise<ChipImage> {
  let p = cache.get(spec.id)
  if (!p) {
    p = buildChip(spec, now)
    cache.set(spec.id, p)
    p.catch(() => cache.delete(spec.id))
  }
  return p
}

async function buildChip(spec: DocumentSpec, now: Date): Promise<ChipImage> {
  const { csca, foreignCsca } = emrtdTrainingPki()
  const { issued, expiry } = documentDates(spec, now)
  const mrz = mrzFor(spec, isoDate(expiry))
  const birth = yymmdd(spec.birthDate)
  const exp = yymmdd(isoDate(expiry))
  const mrzInfo = mrzInformation(spec.number, birth, exp)

  // The face.
  const image = spec.face === 'jpeg' ? faceJpeg(spec.look) : await faceJpeg2000(spec.look)
  const { width, height } = drawFace(spec.look, 240, 320)

  const files = new Map<LdsFileName, Uint8Array>()
  files.set('DG1', buildDg1(mrz.chip))
  files.set(
    'DG2',
    buildDg2({
      image,
      format: spec.face,
      width,
      height,
      sex: spec.sex,
      padding: spec.face === 'jpeg2000' ? 6 : 0,
    }),
  )
  if (spec.chineseName)
    files.set(
      'DG11',
      buildDg11({
        fullName: spec.chineseName,
        birthDate: spec.birthDate,
        placeOfBirth: spec.placeOfBirth,
      }),
    )
  files.set(
    'DG12',
    buildDg12({
      issuingAuthority:
        spec.kind === 'passport' && spec.documentCode !== 'P'
          ? '中华人民共和国国家移民管理局'
          : '国家移民管理局',
      dateOfIssue: isoDate(issued),
    }),
  )

  let caKey: SimKey | undefined
  let caProtocol: string | undefined
  let aaKey: SimKey | undefined
  const dg14: Uint8Array[] = []
  if (spec.ca) {
    caKey = ecKeyFromSeed(spec.ca.curve, `${spec.id} chip authentication`)
    caProtocol = caOid('ECDH', spec.ca.cipher)
    dg14.push(caInfo(caProtocol, 1), caPublicKeyInfo(OID.pkEcdh, spkiOf(caKey)))
  }
  if (spec.aa === 'ecdsa') {
    aaKey = ecKeyFromSeed('secp256r1', `${spec.id} active authentication`)
    dg14.push(aaInfo(`${OID.ecdsaPlain}.3`))
  } else if (spec.aa === 'rsa') aaKey = rsaKey(1024)
  let paceProtocol: string | undefined
  if (spec.pace) {
    paceProtocol = paceOid('ECDH', 'GM', spec.pace.cipher)
    dg14.push(paceInfo(paceProtocol, spec.pace.parameterId))
  }
  if (dg14.length > 0) files.set('DG14', buildDg14(dg14))
  if (aaKey) files.set('DG15', buildDg15(spkiOf(aaKey)))

  const present: LdsFileName[] = (['DG1', 'DG2', 'DG11', 'DG12', 'DG14', 'DG15'] as const).filter(
    (n) => files.has(n),
  )
  const hash: HashName = 'sha256'
  const hashes = new Map<number, Uint8Array>()
  for (const n of present) hashes.set(Number(n.slice(2)), digest(hash, files.get(n)!))

  const issuer = spec.faults?.unknownCsca ? foreignCsca : csca
  const dsKey: SimKey =
    spec.signer === 'ecdsa'
      ? ecKeyFromSeed(
          issuer.key.kind === 'ec' ? issuer.key.curve.name : 'brainpoolP256r1',
          `${spec.id} document signer`,
        )
      : rsaKey(2048)
  const dsName: NameParts = {
    C: issuer.name.C,
    O: issuer.name.O,
    OU: 'Document Signer',
    CN: `DS ${spec.kind.toUpperCase()} ${isoDate(issued)}`,
  }
  const dsSerial = BigInt(
    '0x' +
      Buffer.from(digest('sha1', new TextEncoder().encode(spec.id)))
        .toString('hex')
        .slice(0, 12),
  )
  const dsNotAfter = spec.faults?.expiredDs
    ? new Date(now.getTime() - 30 * 86400_000)
    : new Date(expiry.getTime() + 90 * 86400_000)
  const dsCert = certificate({
    serial: dsSerial,
    issuer: issuer.name,
    subject: dsName,
    notBefore: new Date(issued.getTime() - 30 * 86400_000),
    notAfter: dsNotAfter,
    subjectKey: dsKey,
    issuerKey: issuer.key,
    scheme: 'ecdsa',
    hash: issuer.key.kind === 'ec' && issuer.key.curve.name === 'secp384r1' ? 'sha384' : 'sha256',
    ca: false,
  })
  const sod = signedData({
    contentType: OID.ldsSecurityObject,
    content: ldsSecurityObject(hash, hashes),
    signerCertificate: dsCert,
    signerIssuer: issuer.name,
    signerSerial: dsSerial,
    signerKey: dsKey,
    scheme: spec.signer,
    hash,
    signingTime: issued,
  })
  files.set('SOD', encodeTlv(0x77, sod))
  files.set('COM', buildCom(present))

  if (spec.faults?.tamperedDg) {
    const name = `DG${spec.faults.tamperedDg}` as LdsFileName
    const bytes = files.get(name)
    if (bytes) {
      const changed = bytes.slice()
      if (name === 'DG1') {
        // Another given name, same length: the MRZ still looks valid to the eye.
        const text = Buffer.from(changed)
          .toString('latin1')
          .replace(
            `<<${spec.givenNames}`,
            `<<${'MEIHUA'.slice(0, spec.givenNames.length).padEnd(spec.givenNames.length, '<')}`,
          )
        changed.set(Buffer.from(text, 'latin1'))
      } else changed[changed.length - 10]! ^= 0x01
      files.set(name, changed)
    }
  }

  const printedMrz = printedMrzFor(spec, now)

  return {
    spec,
    files,
    cardAccess: paceProtocol
      ? securityInfos([paceInfo(paceProtocol, spec.pace!.parameterId)])
      : undefined,
    mrzInfo,
    printedMrz,
    can: spec.can,
    paceOid: paceProtocol,
    paceParameterId: spec.pace?.parameterId,
    caKey,
    caOid: caProtocol,
    aaKey,
    documentSigner: dsCert,
  }
}
