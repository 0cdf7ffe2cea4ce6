import { useT, type MessageKey } from '../i18n'
import { useApp } from '../stores/app'
import { useSession } from '../stores/session'

/** The one obvious next step, always in the same place. */
export function nextActionKey(
  training: boolean,
  hasHolder: boolean,
  hasMatter: boolean,
  licences: ReturnType<typeof useSession.getState>['licences']['state'],
): MessageKey {
  if (!hasHolder) return training ? 'next.placeCardTraining' : 'next.placeCard'
  if (!hasMatter) return 'next.pickMatter'
  if (licences === 'loading') return 'next.loading'
  if (licences === 'failed') return 'next.retry'
  return 'next.review'
}

export function NextAction() {
  const t = useT()
  const training = useApp((s) => s.info?.mode === 'training')
  const { holder, matterCode, licences, next } = useSession()
  const key = nextActionKey(training, !!holder, !!matterCode, licences.state)
  return (
    <div className="next-action" data-testid="next-action">
      <span className="next-text">{t(key)}</span>
      <button
        type="button"
        className="button primary"
        onClick={() => void next()}
        disabled={!holder}
        data-testid="next-applicant"
      >
        {t('action.next')} <kbd>F12</kbd>
      </button>
    </div>
  )
}
