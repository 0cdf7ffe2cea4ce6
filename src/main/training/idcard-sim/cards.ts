/**
 * The training cards. The people are fictional; their numbers carry correct check digits (except
 * the one card made to fail) and match the sandbox library's holders.
 */
import type { IdCardText } from '../../devices/idcard'

export interface TrainingCard {
  readonly id: string
  readonly label: string
  readonly text: IdCardText
  /** Fingerprint templates on the chip (cards issued since 2013 usually hold two). */
  readonly fingerprints?: 0 | 1 | 2
  /** The newest address written to the chip after a move (`30 03`). */
  readonly appendedAddress?: string
}

export const TRAINING_CARDS: readonly TrainingCard[] = [
  {
    id: 'resident-zhang',
    label: '张建国（居民身份证）',
    text: {
      type: 'resident',
      name: '张建国',
      sexCode: '1',
      sex: 'male',
      nationCode: '01',
      nation: '汉',
      birth: '1978-05-16',
      address: '河南省郑州市金水区花园路38号院2号楼1单元502号',
      idNumber: '410105197805160032',
      authority: '郑州市公安局金水分局',
      validFrom: '2016-03-01',
      validTo: '2036-03-01',
    },
    fingerprints: 2,
    appendedAddress: '河南省郑州市金水区文化路97号院3号楼2单元601号',
  },
  {
    id: 'resident-li',
    label: '李秀兰（居民身份证，长期）',
    text: {
      type: 'resident',
      name: '李秀兰',
      sexCode: '2',
      sex: 'female',
      nationCode: '03',
      nation: '回',
      birth: '1962-11-03',
      address: '河南省开封市顺河回族区东大街清真寺街17号',
      idNumber: '410203196211031020',
      authority: '开封市公安局顺河分局',
      validFrom: '2012-08-20',
      validTo: 'long-term',
    },
  },
  {
    id: 'resident-wang-expired',
    label: '王磊（居民身份证，已过期）',
    text: {
      type: 'resident',
      name: '王磊',
      sexCode: '1',
      sex: 'male',
      nationCode: '01',
      nation: '汉',
      birth: '1990-01-20',
      address: '河南省郑州市中原区建设西路187号',
      idNumber: '410102199001204511',
      authority: '郑州市公安局中原分局',
      validFrom: '2010-07-01',
      validTo: '2020-07-01',
    },
  },
  {
    id: 'resident-zhao-badcheck',
    label: '赵小明（居民身份证，校验位错误）',
    text: {
      type: 'resident',
      name: '赵小明',
      sexCode: '2',
      sex: 'female',
      nationCode: '01',
      nation: '汉',
      birth: '2018-03-15',
      address: '河南省郑州市金水区经三路66号',
      idNumber: '410105201803150025',
      authority: '郑州市公安局金水分局',
      validFrom: '2023-04-10',
      validTo: '2028-04-10',
    },
    fingerprints: 2,
  },
  {
    id: 'permit-chen',
    label: '陈嘉欣（港澳台居民居住证）',
    text: {
      type: 'J',
      name: '陈嘉欣',
      sexCode: '2',
      sex: 'female',
      birth: '1995-09-12',
      address: '河南省郑州市郑东新区商务外环路20号',
      idNumber: '810000199509120024',
      authority: '郑州市公安局',
      validFrom: '2022-06-15',
      validTo: '2027-06-15',
      passNumber: 'H60412785',
      issueCount: '01',
    },
    fingerprints: 1,
  },
  {
    id: 'foreigner-smith-2017',
    label: 'SMITH（外国人永久居留身份证 2017 版）',
    text: {
      type: 'I',
      name: '史密斯',
      englishName: 'SMITH, MICHAEL JOHN',
      sexCode: '1',
      sex: 'male',
      birth: '1985-05-12',
      idNumber: 'USA410185051201',
      nationality: 'USA',
      authority: '1500',
      validFrom: '2019-06-01',
      validTo: '2029-06-01',
      cardVersion: '01',
    },
  },
  {
    id: 'foreigner-garcia-2023',
    label: 'GARCIA（外国人永久居留身份证 2023 版）',
    text: {
      type: 'Y',
      name: '加西亚·玛丽亚',
      englishName: 'GARCIA MARIA',
      sexCode: '2',
      sex: 'female',
      birth: '1988-02-29',
      idNumber: '934840198802290023',
      authority: '国家移民管理局',
      validFrom: '2024-01-15',
      validTo: '2034-01-15',
      nationality: 'ESP',
      renewalCount: '00',
    },
  },
]

export function trainingCard(id: string): TrainingCard | undefined {
  return TRAINING_CARDS.find((c) => c.id === id)
}
