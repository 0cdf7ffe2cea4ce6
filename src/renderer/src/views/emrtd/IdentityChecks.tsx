import { useEffect } from 'react'
import { localiseError, useLanguage, useT } from '../../i18n'
import { useEmrtd } from '../../stores/emrtd'
import { CameraCapture } from './CameraCapture'

/** Real-name and real-person checks for the chip holder at the window (NIA measures art. 4). */
export function IdentityChecks({ readAt }: { readAt: string }) {
  const t = useT()
  const language = useLanguage((s) => s.language)
  const { realName, realPerson, checkName, checkPerson, resetChecks } = useEmrtd()
  useEffect(() => resetChecks(readAt), [readAt, resetChecks])

  const failure = (e: { code: string; message: string; hint: string }) => {
    const l = localiseError(e, language)
    return (
      <span className="identity-error" data-code={e.code}>
        {l.message} {l.hint}
      </span>
    )
  }
  return (
    <div className="identity-checks" data-testid="identity-checks">
      <h3>{t('identity.title')}</h3>
      <div className="identity-row">
        <span className="identity-label">{t('identity.realName')}</span>
        {realName.state === 'done' ? (
          <span data-testid="realname-result" data-result={realName.result.result}>
            <span
              className={`badge ${realName.result.result === 'consistent' ? 'tone-ok' : 'tone-danger'}`}
            >
              {t(`identity.${realName.result.result}`)}
            </span>
            <span className="identity-ref">
              {t('identity.reference', { reference: realName.result.reference })}
            </span>
          </span>
        ) : (
          <button
            type="button"
            className="button small"
            disabled={realName.state === 'running'}
            onClick={() => void checkName(readAt)}
            data-testid="realname-check"
          >
            {realName.state === 'running' ? t('identity.checking') : t('identity.realName.run')}
          </button>
        )}
        {realName.state === 'failed' && failure(realName.error)}
      </div>
      <div className="identity-row column">
        <span className="identity-label">{t('identity.realPerson')}</span>
        {realPerson.state === 'done' && (
          <span data-testid="realperson-result" data-result={realPerson.result.result}>
            <span
              className={`badge ${realPerson.result.result === 'match' ? 'tone-ok' : realPerson.result.result === 'no-match' ? 'tone-danger' : 'tone-caution'}`}
            >
              {t(`identity.${realPerson.result.result}`)}
            </span>
            {realPerson.result.score !== undefined && (
              <span className="identity-ref">
                {t('identity.score', { score: realPerson.result.score })}
              </span>
            )}
            <span className="identity-ref">
              {t('identity.reference', { reference: realPerson.result.reference })}
            </span>
          </span>
        )}
        {realPerson.state === 'failed' && failure(realPerson.error)}
        <CameraCapture
          busy={realPerson.state === 'running'}
          onSubmit={(photo) => void checkPerson(readAt, photo)}
        />
      </div>
    </div>
  )
}
