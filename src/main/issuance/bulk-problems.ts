/**
 * A bulk list's problems in words, for the command line and the log (the app's screen has its own
 * Chinese and English texts in the renderer's message table, keyed by the same codes).
 */
import type { BulkProblem } from '../../shared/domain'

const HOLDER_CODE_REASONS: Readonly<Record<string, string>> = {
  format: '格式不对',
  'birth-date': '出生日期不存在',
  'check-character': '校验位不符',
}

const VALIDITY: Readonly<Record<string, string>> = {
  'from-date': '有效期起始不是有效日期',
  'long-term': '该证照长期有效，截止日期应留空或写“长期”',
  'not-long-term': '该证照不能长期有效',
  'to-required': '须填写有效期截止日期',
  'to-date': '有效期截止不是有效日期',
  'to-before-from': '有效期截止应晚于起始日期',
}

export function describeBulkProblem(p: BulkProblem): string {
  const v = p.params ?? {}
  switch (p.code) {
    case 'required':
      return '必填，不能为空'
    case 'too-short':
      return `至少 ${v.min} 个字`
    case 'too-long':
      return `最多 ${v.max} 个字`
    case 'pattern':
      return v.hint ? `格式不对，应为${v.hint}` : '格式不对'
    case 'date':
      return '不是有效日期（可写 2026-03-02 或 2026/3/2）'
    case 'option':
      return '不是可选的值之一'
    case 'integer':
      return '应为整数'
    case 'range':
      return `应在 ${v.min}–${v.max} 之间`
    case 'checksum':
      return '校验位不符'
    case 'missing-column':
      return '缺少这一列'
    case 'unknown-column':
      return '不是该证照类型的照面项，也不是持证主体或有效期列'
    case 'duplicate-column':
      return `与 ${v.first} 列重复`
    case 'extra-cells':
      return `超出表头（共 ${v.columns} 列）的单元格有内容`
    case 'holder-type-unknown':
      return `无法识别的持证主体代码类型“${v.value}”`
    case 'holder-type-not-allowed':
      return `该证照不能签发给“${v.type}”持证主体`
    case 'holder-code': {
      const reason = HOLDER_CODE_REASONS[String(v.reason)] ?? '有误'
      return v.expected ? `${reason}，校验位应为 ${v.expected}` : reason
    }
    case 'holder-mismatch':
      return `与“${v.holderColumn}”列不一致`
    case 'excel-number':
      return '被 Excel 转成了科学计数法，请把该列设为“文本”后重新填写'
    case 'validity':
      return VALIDITY[String(v.problem)] ?? '有效期有误'
    case 'newline':
      return '单元格内有换行'
    case 'control-char':
      return '含有不可见的控制字符'
    case 'duplicate-row':
      return `与第 ${v.first} 行完全相同`
  }
}
