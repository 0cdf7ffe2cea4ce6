/** Texts both issuing modes show: a face field's problem in the clerk's language. */
import type { FieldIssue } from '../../../../shared/domain'
import type { MessageKey, useT } from '../../i18n'

type T = ReturnType<typeof useT>

export function issueText(t: T, issue: Pick<FieldIssue, 'code' | 'params'>): string {
  const p = issue.params ?? {}
  if (issue.code === 'pattern' && !p.hint) return t('issuance.issue.patternNoHint')
  return t(`issuance.issue.${issue.code}` as MessageKey, p)
}
