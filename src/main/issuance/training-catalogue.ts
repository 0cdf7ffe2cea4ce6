/**
 * The licence catalogue the sandbox library publishes in training mode and that `cli frontend init
 * --publish-training-catalogue` writes into HN_catalog_release: three licence types with realistic
 * face fields and rules — two for persons, one for enterprises, so the form shows both an allowed
 * type and one the applicant's holder type excludes. Fictional data, real structure.
 */
import type { LicenceTemplateInput } from '../../shared/domain'

type Field = LicenceTemplateInput['fields'][number]

const released = '2026-01-05T09:00:00+08:00'

/** A person's fields that come from the ID card read at the window, locked there. */
const personName: Field = {
  key: 'name',
  label: '姓名',
  kind: 'text',
  maxLength: 50,
  prefill: 'holder.name',
  locked: true,
}
const personSex: Field = {
  key: 'sex',
  label: '性别',
  kind: 'select',
  options: ['男', '女'],
  prefill: 'holder.sex',
  locked: true,
}
const personIdNumber: Field = {
  key: 'idNumber',
  label: '公民身份号码',
  kind: 'citizen-id',
  prefill: 'holder.code',
  locked: true,
}

/** A mainland mobile number. */
function mobile(key: string, label: string): Field {
  return {
    key,
    label,
    kind: 'text',
    maxLength: 11,
    pattern: '1[3-9]\\d{9}',
    patternHint: '11 位手机号码',
  }
}

export const TRAINING_LICENCE_TYPES: readonly LicenceTemplateInput[] = [
  {
    typeCode: '51100000500010176E001',
    name: '中华人民共和国残疾人证',
    department: '中国残疾人联合会',
    holderTypes: ['111'],
    fields: [
      personName,
      personSex,
      {
        key: 'birthDate',
        label: '出生日期',
        kind: 'date',
        prefill: 'holder.birthDate',
        locked: true,
      },
      personIdNumber,
      {
        key: 'address',
        label: '住址',
        kind: 'text',
        minLength: 6,
        maxLength: 100,
        prefill: 'holder.address',
      },
      {
        key: 'category',
        label: '残疾类别',
        kind: 'select',
        options: [
          '视力残疾',
          '听力残疾',
          '言语残疾',
          '肢体残疾',
          '智力残疾',
          '精神残疾',
          '多重残疾',
        ],
      },
      {
        key: 'level',
        label: '残疾等级',
        kind: 'select',
        options: ['一级', '二级', '三级', '四级'],
      },
      { key: 'guardian', label: '监护人', kind: 'text', required: false, maxLength: 50 },
      { ...mobile('guardianPhone', '监护人电话'), required: false },
    ],
    validity: { kind: 'years', years: 10 },
    numbering: { kind: 'serial', prefix: 'CJ' },
    template: {
      id: 'cdpf-disability-2022',
      version: '2022.1',
      width: 210,
      height: 148,
      placements: [
        { field: 'name', x: 40, y: 36, width: 60 },
        { field: 'sex', x: 120, y: 36, width: 20 },
        { field: 'birthDate', x: 160, y: 36, width: 40 },
        { field: 'idNumber', x: 40, y: 48, width: 90 },
        { field: 'address', x: 40, y: 60, width: 160 },
        { field: 'category', x: 40, y: 72, width: 60 },
        { field: 'level', x: 120, y: 72, width: 40 },
        { field: 'guardian', x: 40, y: 84, width: 60 },
        { field: 'number', x: 40, y: 100, width: 100 },
        { field: 'issuer', x: 40, y: 112, width: 100 },
        { field: 'validTo', x: 40, y: 124, width: 60 },
        { field: 'identifier', x: 10, y: 140, width: 190, fontSize: 2.5 },
      ],
    },
    version: 3,
    releasedAt: released,
  },
  {
    typeCode: '11100000000013338W011',
    name: '居住证',
    department: '公安部',
    holderTypes: ['111'],
    fields: [
      personName,
      personSex,
      personIdNumber,
      { key: 'residence', label: '居住地址', kind: 'text', minLength: 6, maxLength: 120 },
      { key: 'since', label: '居住起始日期', kind: 'date' },
      mobile('phone', '联系电话'),
      {
        key: 'station',
        label: '签发派出所',
        kind: 'select',
        options: [
          '金水区花园路派出所',
          '金水区经八路派出所',
          '二七区长江路派出所',
          '中原区桐柏路派出所',
        ],
      },
    ],
    validity: { kind: 'years', years: 1 },
    numbering: { kind: 'serial', prefix: 'JZ' },
    template: {
      id: 'mps-residence-permit-2016',
      version: '2016.2',
      width: 210,
      height: 148,
      placements: [
        { field: 'name', x: 36, y: 34, width: 60 },
        { field: 'sex', x: 120, y: 34, width: 20 },
        { field: 'idNumber', x: 36, y: 46, width: 90 },
        { field: 'residence', x: 36, y: 58, width: 165 },
        { field: 'since', x: 36, y: 70, width: 50 },
        { field: 'station', x: 36, y: 82, width: 100 },
        { field: 'number', x: 36, y: 98, width: 100 },
        { field: 'validFrom', x: 36, y: 110, width: 45 },
        { field: 'validTo', x: 96, y: 110, width: 45 },
        { field: 'identifier', x: 10, y: 140, width: 190, fontSize: 2.5 },
      ],
    },
    version: 2,
    releasedAt: released,
  },
  {
    typeCode: '11100000000018569J006',
    name: '食品经营许可证',
    department: '国家市场监督管理总局',
    holderTypes: ['001'],
    fields: [
      {
        key: 'operator',
        label: '经营者名称',
        kind: 'text',
        maxLength: 100,
        prefill: 'holder.name',
        locked: true,
      },
      { key: 'uscc', label: '社会信用代码', kind: 'uscc', prefill: 'holder.code', locked: true },
      { key: 'legalRepresentative', label: '法定代表人（负责人）', kind: 'text', maxLength: 50 },
      { key: 'premises', label: '经营场所', kind: 'text', minLength: 6, maxLength: 150 },
      {
        key: 'mainBusiness',
        label: '主体业态',
        kind: 'select',
        options: ['食品销售经营者', '餐饮服务经营者', '单位食堂'],
      },
      { key: 'scope', label: '经营项目', kind: 'multiline', maxLength: 500 },
      { key: 'area', label: '经营面积（平方米）', kind: 'integer', min: 1, max: 100000 },
    ],
    validity: { kind: 'years', years: 5 },
    numbering: { kind: 'serial', prefix: 'JY' },
    template: {
      id: 'samr-food-business-2023',
      version: '2023.1',
      width: 297,
      height: 210,
      placements: [
        { field: 'operator', x: 60, y: 50, width: 200 },
        { field: 'uscc', x: 60, y: 62, width: 100 },
        { field: 'legalRepresentative', x: 60, y: 74, width: 80 },
        { field: 'premises', x: 60, y: 86, width: 200 },
        { field: 'mainBusiness', x: 60, y: 98, width: 100 },
        { field: 'scope', x: 60, y: 110, width: 200 },
        { field: 'number', x: 60, y: 150, width: 120 },
        { field: 'validTo', x: 60, y: 162, width: 60 },
        { field: 'issuer', x: 180, y: 180, width: 100 },
        { field: 'issuedOn', x: 180, y: 190, width: 60 },
        { field: 'identifier', x: 10, y: 204, width: 270, fontSize: 2.5 },
      ],
    },
    version: 4,
    releasedAt: released,
  },
]
