import { localiseError, useLanguage, useT } from '../i18n'
import { useApp } from '../stores/app'

/** The one place errors appear: what happened, and what to do about it. */
export function ErrorSurface() {
  const t = useT()
  const error = useApp((s) => s.error)
  const dismiss = useApp((s) => s.dismissError)
  const language = useLanguage((s) => s.language)
  if (!error) return null
  const { message, hint } = localiseError(error, language)
  return (
    <div className="error-surface" role="alert" data-testid="error-surface" data-code={error.code}>
      <div className="error-text">
        <strong className="error-message">{message}</strong>
        <span className="error-hint">{hint}</span>
      </div>
      <button type="button" className="button subtle" onClick={dismiss}>
        {t('error.dismiss')}
      </button>
    </div>
  )
}
