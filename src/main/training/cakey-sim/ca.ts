/**
 * The training CA: a fictional SM2 root that issues the simulated keys' certificates — three staff
 * (a clerk, a supervisor, an administrator) and three enterprises from the sandbox library, one of them revoked
 * and one expired so the warnings can be practised. Keys are fixed software keys and the CA signs
 * with a deterministic nonce (`deterministic-sm2.ts`; SM2's usual random nonce would give new
 * signature bytes, hence new fingerprints, on every start), so the certificates are byte for byte
 * the same on every start and in every process; only the CRL's dates follow the clock.
 */
import { sm2PublicKeyFromPrivate } from '../../crypto'
import {
  asn1,
  encodeName,
  issueCertificate,
  issueCrl,
  OID,
  sm2Spki,
  type ExtensionSpec,
  type NameSpecEntry,
  type Signer,
} from '../../pki'
import { deterministicSm2SignDer } from './deterministic-sm2'

const key = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'))

const ROOT_KEY = key('1a0c5431c2d205ea859f10cafb541c1f60bfcc390b42d7dea935d289c4e0db5d')

export const TRAINING_CA_NAME: readonly NameSpecEntry[] = [
  ['C', 'CN'],
  ['O', 'CounterDesk 培训电子认证中心'],
  ['CN', 'CounterDesk 培训根 CA（模拟，无法律效力）'],
]

export interface TrainingKeySpec {
  readonly id: string
  readonly label: string
  /** Staff sign in with theirs, applicants' enterprises identify with theirs; the unit's seal key signs issued licences. */
  readonly kind: 'staff' | 'enterprise' | 'seal'
  readonly privateKey: Uint8Array
  readonly serial: bigint
  readonly subject: readonly NameSpecEntry[]
  readonly extensions?: readonly ExtensionSpec[]
  readonly notBefore: Date
  readonly notAfter: Date
  readonly revoked?: boolean
  /** Staff only: the role the training roster gives. */
  readonly role?: 'clerk' | 'supervisor' | 'administrator'
  /** The person's citizen ID or the enterprise's USCC, as the certificate names it. */
  readonly code: string
  readonly holderName: string
}

const d = (iso: string) => new Date(iso + 'T00:00:00Z')
const der = asn1.der

export const TRAINEE_ID_NUMBER = '410100199003070016'

export const TRAINING_KEY_SPECS: readonly TrainingKeySpec[] = [
  {
    id: 'staff-trainee',
    label: '培训学员（窗口人员）',
    kind: 'staff',
    privateKey: key('d8286d4fbfabbf98dc59ac5b6b69d01cca1a66753f54bf1a66f1e58508a0ef5e'),
    serial: 0x2025_0001n,
    subject: [
      ['C', 'CN'],
      ['O', '培训演示政务服务中心'],
      ['OU', '窗口工作人员'],
      ['CN', '培训学员'],
      ['serialNumber', `SF${TRAINEE_ID_NUMBER}`],
    ],
    notBefore: d('2025-01-01'),
    notAfter: d('2035-12-31'),
    role: 'clerk',
    code: TRAINEE_ID_NUMBER,
    holderName: '培训学员',
  },
  {
    id: 'staff-supervisor',
    label: '培训审核员（审核人员）',
    kind: 'staff',
    privateKey: key('e2917894833d6820dde7cbca098917ec5f4e16decdd9cbe984313d666c281e5a'),
    serial: 0x2025_0002n,
    subject: [
      ['C', 'CN'],
      ['O', '培训演示政务服务中心'],
      ['CN', '培训审核员', 'bmp'],
    ],
    // GB/T 20518 IdentifyCode: [0] residenterCardNumber.
    extensions: [{ oid: OID.cnIdentifyCode, value: der(0x80, Buffer.from('410100198506120025')) }],
    notBefore: d('2025-01-01'),
    notAfter: d('2035-12-31'),
    role: 'supervisor',
    code: '410100198506120025',
    holderName: '培训审核员',
  },
  {
    id: 'staff-admin',
    label: '培训管理员（管理员）',
    kind: 'staff',
    privateKey: key('5445dbd7141b570dff33ffb01b76affaa68dd86df589e319208c9dae92529d39'),
    serial: 0x2025_0003n,
    subject: [
      ['C', 'CN'],
      ['O', '培训演示政务服务中心'],
      ['CN', '培训管理员@410100198209150033'],
    ],
    notBefore: d('2025-01-01'),
    notAfter: d('2035-12-31'),
    role: 'administrator',
    code: '410100198209150033',
    holderName: '培训管理员',
  },
  {
    id: 'unit-seal',
    label: '单位电子印章 Key（签发用）',
    kind: 'seal',
    privateKey: key('3b6f0c1d9a7e4b2c8d5f6a1e0b9c7d3e2f4a6b8c0d1e3f5a7b9c2d4e6f8a0b1c'),
    serial: 0x2025_2001n,
    subject: [
      ['C', 'CN'],
      ['O', '培训演示政务服务中心'],
      ['CN', '培训演示政务服务中心（电子印章）'],
    ],
    notBefore: d('2025-01-01'),
    notAfter: d('2035-12-31'),
    code: '',
    holderName: '培训演示政务服务中心',
  },
  {
    id: 'enterprise-xinyuan',
    label: '企业：鑫源餐饮',
    kind: 'enterprise',
    privateKey: key('2007c12c84fa3cd183e9112a595c6998328266936a48bc378fd10eb2bd20cbb0'),
    serial: 0x2025_1001n,
    subject: [
      ['C', 'CN'],
      ['ST', '河南省'],
      ['L', '郑州市'],
      ['O', '郑州市金水区鑫源餐饮管理有限公司'],
      ['CN', '郑州市金水区鑫源餐饮管理有限公司'],
    ],
    extensions: [{ oid: OID.cnOrganizationCode, value: asn1.printable('91410105MA44K7QX15') }],
    notBefore: d('2025-03-01'),
    notAfter: d('2035-02-28'),
    code: '91410105MA44K7QX15',
    holderName: '郑州市金水区鑫源餐饮管理有限公司',
  },
  {
    id: 'enterprise-laowang-revoked',
    label: '企业：老王烩面馆（证书已吊销）',
    kind: 'enterprise',
    privateKey: key('988b803cd1950069dc05c88635b12854e7932e4c8bb216f2267fa9ed23537adc'),
    serial: 0x2025_1002n,
    subject: [
      ['C', 'CN'],
      ['O', '郑州市金水区老王烩面馆'],
      ['CN', '郑州市金水区老王烩面馆'],
      ['organizationIdentifier', 'NTRCN-92410105MA9GUE1L8A'],
    ],
    notBefore: d('2025-01-01'),
    notAfter: d('2035-12-31'),
    revoked: true,
    code: '92410105MA9GUE1L8A',
    holderName: '郑州市金水区老王烩面馆',
  },
  {
    id: 'enterprise-zhongyuan-expired',
    label: '企业：中原智造（证书已过期）',
    kind: 'enterprise',
    privateKey: key('be50c2f28214cde9e342212f02955833082d4087e3027362394378d22254a00f'),
    serial: 0x2019_1003n,
    subject: [
      ['C', 'CN'],
      ['O', '河南中原智造科技有限公司'],
      ['OU', '91410100MA47DR2P28'],
      ['CN', '河南中原智造科技有限公司'],
    ],
    notBefore: d('2019-06-01'),
    notAfter: d('2024-05-31'),
    code: '91410100MA47DR2P28',
    holderName: '河南中原智造科技有限公司',
  },
]

export interface TrainingKey extends TrainingKeySpec {
  readonly certificate: Uint8Array
  readonly publicKey: Uint8Array
}

export interface TrainingPki {
  readonly root: Uint8Array
  readonly keys: readonly TrainingKey[]
  /** A CRL dated around `now`, revoking what the specs mark revoked. */
  crl(now?: Date): Uint8Array
}

/** The training root's signer: SM2 with SM3, its nonce derived from key and message. */
function trainingCaSigner(): Signer {
  const publicKey = sm2PublicKeyFromPrivate(ROOT_KEY)
  return {
    algorithm: 'sm2-sm3',
    spki: sm2Spki(publicKey),
    sign: (data) => deterministicSm2SignDer(data, ROOT_KEY, publicKey),
  }
}

let cached: TrainingPki | undefined

/** The training PKI, built once per process (building it again gives the very same bytes). */
export function trainingPki(): TrainingPki {
  cached ??= buildTrainingPki()
  return cached
}

/** Issues the training root, the keys' certificates and the CRL maker afresh. */
export function buildTrainingPki(): TrainingPki {
  const signer = trainingCaSigner()
  const issuerName = encodeName(TRAINING_CA_NAME)
  const root = issueCertificate(
    {
      serial: 1n,
      issuer: TRAINING_CA_NAME,
      subject: TRAINING_CA_NAME,
      notBefore: d('2024-01-01'),
      notAfter: d('2044-12-31'),
      spki: sm2Spki(sm2PublicKeyFromPrivate(ROOT_KEY)),
      ca: true,
    },
    signer,
  )
  const keys = TRAINING_KEY_SPECS.map((spec) => {
    const publicKey = sm2PublicKeyFromPrivate(spec.privateKey)
    const certificate = issueCertificate(
      {
        serial: spec.serial,
        issuer: issuerName,
        subject: spec.subject,
        notBefore: spec.notBefore,
        notAfter: spec.notAfter,
        spki: sm2Spki(publicKey),
        ...(spec.extensions ? { extensions: spec.extensions } : {}),
      },
      signer,
    )
    return { ...spec, certificate, publicKey }
  })
  return {
    root,
    keys,
    crl: (now = new Date()) =>
      issueCrl(
        {
          issuer: issuerName,
          thisUpdate: new Date(now.getTime() - 86_400_000),
          nextUpdate: new Date(now.getTime() + 30 * 86_400_000),
          revoked: keys
            .filter((k) => k.revoked)
            .map((k) => ({ serial: k.serial, date: d('2026-06-01') })),
          crlNumber: BigInt(Math.floor(now.getTime() / 86_400_000)),
        },
        signer,
      ),
  }
}
