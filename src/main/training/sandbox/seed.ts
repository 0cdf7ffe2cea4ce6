/**
 * The sandbox library's holders and licences. Fictional people and firms, real structure:
 * identifiers carry the MOD 37,36 check, issuers valid USCCs, and the statuses include revoked,
 * cancelled, suspended and expired ones so the warnings can be practised.
 */
import { makeLicenceId } from '../../../shared/ids'
import { surfaceFor } from './surface'
import type { WireLicence } from '../../licences'

export const LICENCE_TYPES = {
  hukou: { code: '11100000000013338W002', name: '居民户口簿' },
  driving: { code: '11100000000013338W032', name: '机动车驾驶证' },
  marriage: { code: '11100000000014146K004', name: '结婚证' },
  property: { code: '11100000717832007F001', name: '不动产权证书' },
  business: { code: '11100000000018569J001', name: '营业执照' },
  food: { code: '11100000000018569J006', name: '食品经营许可证' },
  birth: { code: '111000000000193261001', name: '出生医学证明' },
  disability: { code: '51100000500010176E001', name: '中华人民共和国残疾人证' },
} as const

export const ISSUERS = {
  jinshuiPolice: { name: '郑州市公安局金水分局', code: '11410105MB1613052U' },
  zzPolice: { name: '郑州市公安局', code: '11410100MB1782075G' },
  zzTraffic: { name: '郑州市公安局交通警察支队', code: '11410100MB17845054' },
  zzCivil: { name: '郑州市民政局', code: '11410100MB178031X7' },
  zzRealEstate: { name: '郑州市不动产登记中心', code: '12410100MB1832669N' },
  zzMarket: { name: '郑州市市场监督管理局', code: '11410100MB18065246' },
  zzMaternity: { name: '郑州市妇幼保健院', code: '12410100MB1774518K' },
  zzDisabled: { name: '郑州市残疾人联合会', code: '51410100MB1942083D' },
} as const

export interface SandboxHolder {
  readonly code: string
  readonly typeCode: '111' | '001'
  readonly name: string
}

export const HOLDERS = {
  zhang: { code: '410105197805160032', typeCode: '111', name: '张建国' },
  li: { code: '410203196211031020', typeCode: '111', name: '李秀兰' },
  wang: { code: '410102199001204511', typeCode: '111', name: '王磊' },
  zhao: { code: '410105201803150024', typeCode: '111', name: '赵小明' },
  chen: { code: '810000199509120024', typeCode: '111', name: '陈嘉欣' },
  smith: { code: 'USA410185051201', typeCode: '111', name: '史密斯' },
  xinyuan: {
    code: '91410105MA44K7QX15',
    typeCode: '001',
    name: '郑州市金水区鑫源餐饮管理有限公司',
  },
  laowang: { code: '92410105MA9GUE1L8A', typeCode: '001', name: '郑州市金水区老王烩面馆' },
  zhongyuan: { code: '91410100MA47DR2P28', typeCode: '001', name: '河南中原智造科技有限公司' },
} as const satisfies Record<string, SandboxHolder>

type TypeKey = keyof typeof LICENCE_TYPES
type IssuerKey = keyof typeof ISSUERS

interface Spec {
  readonly holder: SandboxHolder
  readonly type: TypeKey
  readonly issuer: IssuerKey
  readonly serial: string
  readonly number: string
  readonly issued: string
  readonly validEnd: string
  readonly status?: string
}

function licence(s: Spec): WireLicence {
  const type = LICENCE_TYPES[s.type]
  const issuer = ISSUERS[s.issuer]
  const meta = {
    licenseIdentifier: makeLicenceId({
      typeCode: type.code,
      issuerCode: issuer.code,
      serial: s.serial,
      version: '001',
    }),
    licenseTypeCode: type.code,
    licenseTypeName: type.name,
    licenseNumber: s.number,
    holderName: s.holder.name,
    holderIdentityType: s.holder.typeCode,
    holderIdentityNum: s.holder.code,
    issueOrgName: issuer.name,
    issueOrgCode: issuer.code,
    issueDate: s.issued,
    validBegin: s.issued,
    validEnd: s.validEnd,
    licenseStatus: s.status ?? '有效',
    regionCode: '410100',
  }
  return { ...meta, surfaceData: surfaceFor(meta) }
}

/**
 * The performance holder: 李秀兰 with thirty licences for 不动产转移登记 (her three seed ones and
 * twenty-seven more property certificates and household registers over four decades), so that
 * card placed → list rendered is measured on a realistic long list.
 */
export function perfLicences(count = 30): WireLicence[] {
  const own = SEED_LICENCES.filter(
    (l) =>
      l.holderIdentityNum === HOLDERS.li.code &&
      [LICENCE_TYPES.property.code, LICENCE_TYPES.marriage.code, LICENCE_TYPES.hukou.code].includes(
        l.licenseTypeCode as never,
      ),
  ).length
  const statuses = ['有效', '有效', '有效', '注销', '有效', '吊销', '有效', '挂起']
  return Array.from({ length: Math.max(0, count - own) }, (_, i) => {
    const year = 1990 + i
    const property = i % 3 !== 2
    return licence({
      holder: HOLDERS.li,
      type: property ? 'property' : 'hukou',
      issuer: property ? 'zzRealEstate' : 'zzPolice',
      serial: `${year}${String(700 + i).padStart(6, '0')}`,
      number: property
        ? `豫（${year}）郑州市不动产权第${String(1_000_000 + i * 7919).slice(-7)}号`
        : `4102030${String(10_000 + i).slice(-5)}`,
      issued: `${year}-0${1 + (i % 9)}-1${i % 10}`,
      validEnd: property ? `${year + 70}-0${1 + (i % 9)}-1${i % 10}` : '长期',
      status: statuses[i % statuses.length]!,
    })
  })
}

const H = HOLDERS

export const SEED_LICENCES: readonly WireLicence[] = [
  // 张建国: a settled household; one old property certificate cancelled after a sale.
  licence({
    holder: H.zhang,
    type: 'hukou',
    issuer: 'jinshuiPolice',
    serial: '2016000318',
    number: '410105006852',
    issued: '2016-03-01',
    validEnd: '长期',
  }),
  licence({
    holder: H.zhang,
    type: 'marriage',
    issuer: 'zzCivil',
    serial: '2005011207',
    number: 'J410105-2005-011207',
    issued: '2005-10-02',
    validEnd: '长期',
  }),
  licence({
    holder: H.zhang,
    type: 'property',
    issuer: 'zzRealEstate',
    serial: '2019023456',
    number: '豫（2019）郑州市不动产权第0123456号',
    issued: '2019-07-18',
    validEnd: '2089-07-17',
  }),
  licence({
    holder: H.zhang,
    type: 'property',
    issuer: 'zzRealEstate',
    serial: '2011004402',
    number: '豫（2011）郑州市不动产权第0004402号',
    issued: '2011-04-09',
    validEnd: '2081-04-08',
    status: '注销',
  }),
  licence({
    holder: H.zhang,
    type: 'driving',
    issuer: 'zzTraffic',
    serial: '2020118342',
    number: '410105197805160032',
    issued: '2020-05-16',
    validEnd: '2030-05-16',
  }),
  // 李秀兰: disability certificate in force; property suspended by a court order.
  licence({
    holder: H.li,
    type: 'hukou',
    issuer: 'zzPolice',
    serial: '2012004875',
    number: '410203004875',
    issued: '2012-08-20',
    validEnd: '长期',
  }),
  licence({
    holder: H.li,
    type: 'marriage',
    issuer: 'zzCivil',
    serial: '1985000317',
    number: 'J410203-1985-000317',
    issued: '1985-05-01',
    validEnd: '长期',
  }),
  licence({
    holder: H.li,
    type: 'disability',
    issuer: 'zzDisabled',
    serial: '2021000519',
    number: '41020319621103102042',
    issued: '2021-09-01',
    validEnd: '2031-09-01',
  }),
  licence({
    holder: H.li,
    type: 'property',
    issuer: 'zzRealEstate',
    serial: '2017009921',
    number: '豫（2017）郑州市不动产权第0099210号',
    issued: '2017-11-30',
    validEnd: '2087-11-29',
    status: '挂起',
  }),
  // 王磊: a driving licence past its end date, a revoked one before it, a cancelled marriage.
  licence({
    holder: H.wang,
    type: 'driving',
    issuer: 'zzTraffic',
    serial: '2015072211',
    number: '410102199001204511',
    issued: '2015-01-20',
    validEnd: '2025-01-20',
  }),
  licence({
    holder: H.wang,
    type: 'driving',
    issuer: 'zzTraffic',
    serial: '2009030455',
    number: '410102199001204511',
    issued: '2009-01-20',
    validEnd: '2015-01-20',
    status: '吊销',
  }),
  licence({
    holder: H.wang,
    type: 'hukou',
    issuer: 'zzPolice',
    serial: '2010007731',
    number: '410102007731',
    issued: '2010-07-01',
    validEnd: '长期',
  }),
  licence({
    holder: H.wang,
    type: 'marriage',
    issuer: 'zzCivil',
    serial: '2016005520',
    number: 'J410102-2016-005520',
    issued: '2016-02-14',
    validEnd: '长期',
    status: '注销',
  }),
  // 赵小明 (the card with a wrong check digit): the library knows the correct number only.
  licence({
    holder: H.zhao,
    type: 'birth',
    issuer: 'zzMaternity',
    serial: '2018031502',
    number: 'Q410031502',
    issued: '2018-03-16',
    validEnd: '长期',
  }),
  licence({
    holder: H.zhao,
    type: 'hukou',
    issuer: 'jinshuiPolice',
    serial: '2018031577',
    number: '410105031577',
    issued: '2018-04-02',
    validEnd: '长期',
  }),
  // 陈嘉欣 and SMITH.
  licence({
    holder: H.chen,
    type: 'driving',
    issuer: 'zzTraffic',
    serial: '2023040118',
    number: '810000199509120024',
    issued: '2023-04-01',
    validEnd: '2029-04-01',
    status: '吊销',
  }),
  licence({
    holder: H.smith,
    type: 'driving',
    issuer: 'zzTraffic',
    serial: '2020060932',
    number: 'USA410185051201',
    issued: '2020-06-09',
    validEnd: '2026-06-09',
  }),
  // Enterprises.
  licence({
    holder: H.xinyuan,
    type: 'business',
    issuer: 'zzMarket',
    serial: '2019104471',
    number: '91410105MA44K7QX15',
    issued: '2019-10-08',
    validEnd: '长期',
  }),
  licence({
    holder: H.xinyuan,
    type: 'food',
    issuer: 'zzMarket',
    serial: '2020117703',
    number: 'JY14101050117703',
    issued: '2020-11-02',
    validEnd: '2025-11-01',
  }),
  licence({
    holder: H.laowang,
    type: 'business',
    issuer: 'zzMarket',
    serial: '2018052290',
    number: '92410105MA9GUE1L8A',
    issued: '2018-05-22',
    validEnd: '长期',
  }),
  licence({
    holder: H.laowang,
    type: 'food',
    issuer: 'zzMarket',
    serial: '2018060114',
    number: 'JY24101050060114',
    issued: '2018-06-01',
    validEnd: '2028-05-31',
    status: '吊销',
  }),
  licence({
    holder: H.zhongyuan,
    type: 'business',
    issuer: 'zzMarket',
    serial: '2017080321',
    number: '91410100MA47DR2P28',
    issued: '2017-08-03',
    validEnd: '2047-08-02',
  }),
  licence({
    holder: H.zhongyuan,
    type: 'property',
    issuer: 'zzRealEstate',
    serial: '2021040077',
    number: '豫（2021）郑州市不动产权第0400770号',
    issued: '2021-04-15',
    validEnd: '2071-04-14',
  }),
]
