import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import type { ErrorInfo } from '../../../../shared/errors'
import { localiseError, useLanguage, useT } from '../../i18n'

/**
 * The PIN field and its one button. The PIN is cleared after every attempt, right or wrong, and
 * the field keeps the focus so the clerk can simply type again.
 */
export function PinForm({
  submitLabel,
  busy,
  error,
  disabled,
  onSubmit,
  onArrow,
  testId,
}: {
  submitLabel: string
  busy: boolean
  error: ErrorInfo | null
  disabled?: boolean
  onSubmit(pin: string): Promise<unknown>
  onArrow?: (delta: number) => void
  testId: string
}) {
  const t = useT()
  const language = useLanguage((s) => s.language)
  const [pin, setPin] = useState('')
  const input = useRef<HTMLInputElement>(null)
  useEffect(() => {
    if (!busy) input.current?.focus()
  }, [busy, error])

  const submit = async () => {
    if (!pin || busy || disabled) return
    const value = pin
    setPin('')
    await onSubmit(value)
  }
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault()
      onArrow?.(e.key === 'ArrowUp' ? -1 : 1)
    }
  }
  const shown = error ? localiseError(error, language) : null
  return (
    <form
      className="pin-form"
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <label className="pin-field">
        <span>{t('auth.signIn.pin')}</span>
        <input
          ref={input}
          type="password"
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          maxLength={32}
          value={pin}
          disabled={busy || disabled}
          onChange={(e) => setPin(e.target.value)}
          onKeyDown={onKeyDown}
          data-testid={`${testId}-pin`}
        />
      </label>
      <button
        type="submit"
        className="button primary"
        disabled={busy || disabled || !pin}
        data-testid={`${testId}-submit`}
      >
        {submitLabel}
      </button>
      {busy && (
        <p className="auth-progress" role="status" data-testid={`${testId}-busy`}>
          <span className="spinner" aria-hidden="true" />
          {t('auth.signIn.busy')}
        </p>
      )}
      {shown && !busy && (
        <div
          className="auth-error"
          role="alert"
          data-testid={`${testId}-error`}
          data-code={error?.code}
        >
          <strong>{shown.message}</strong>
          <span>{shown.hint}</span>
        </div>
      )}
    </form>
  )
}
