import { useState } from 'react'
import type { IssuedLicenceView, StatusAction } from '../../../../shared/domain'
import { Dialog } from '../../components/Dialog'
import { useT, type MessageKey } from '../../i18n'
import { useIssuance } from '../../stores/issuance'

const FINAL: readonly StatusAction[] = ['cancel', 'revoke', 'abolish']

/** 延续, 注销, 吊销, 废止, 挂起, 质押 and back: one change, with its reason, queued for the library. */
export function StatusDialog({ licence }: { licence: IssuedLicenceView }) {
  const t = useT()
  const [action, setAction] = useState<StatusAction | null>(licence.actions[0] ?? null)
  const [reason, setReason] = useState('')
  const [validTo, setValidTo] = useState('')
  const [longTerm, setLongTerm] = useState(false)
  const [saving, setSaving] = useState(false)
  const close = () => useIssuance.getState().openStatus(null)

  const reasonOk = reason.trim().length >= 2
  const renewOk = action !== 'renew' || longTerm || /^\d{4}-\d{2}-\d{2}$/.test(validTo)
  const ready = !!action && reasonOk && renewOk && !saving

  const submit = async () => {
    if (!ready || !action) return
    setSaving(true)
    const done = await useIssuance.getState().changeStatus({
      action,
      reason: reason.trim(),
      ...(action === 'renew' ? { validTo: longTerm ? ('long-term' as const) : validTo } : {}),
    })
    if (!done) setSaving(false)
  }

  return (
    <Dialog
      title={t('issuance.status.title')}
      testId="status-dialog"
      className="status-dialog"
      {...(saving ? {} : { onEscape: close })}
    >
      <p className="status-licence">
        <strong>{licence.typeName}</strong> · {licence.holderNameMasked} ·{' '}
        <span className="badge tone-ok">{licence.status}</span>
        <br />
        <span className="mono small">{licence.identifier}</span>
      </p>
      {licence.actions.length === 0 ? (
        <p className="warning danger">{t('issuance.status.none')}</p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            void submit()
          }}
        >
          <fieldset className="status-actions">
            <legend>{t('issuance.status.action')}</legend>
            {licence.actions.map((a) => (
              <label key={a} className={FINAL.includes(a) ? 'final' : ''}>
                <input
                  type="radio"
                  name="status-action"
                  value={a}
                  checked={action === a}
                  onChange={() => setAction(a)}
                  data-testid={`status-action-${a}`}
                />
                {t(`issuance.action.${a}` as MessageKey)}
              </label>
            ))}
          </fieldset>
          {action && FINAL.includes(action) && (
            <p className="warning danger" data-testid="status-final">
              {t('issuance.status.final')}
            </p>
          )}
          {action === 'renew' && (
            <label className="field-block">
              <span>{t('issuance.status.validTo')}</span>
              <span className="renew-row">
                <input
                  type="date"
                  value={validTo}
                  min={licence.validTo}
                  disabled={longTerm}
                  onChange={(e) => setValidTo(e.target.value)}
                  data-testid="status-valid-to"
                />
                <label>
                  <input
                    type="checkbox"
                    checked={longTerm}
                    onChange={(e) => setLongTerm(e.target.checked)}
                  />
                  {t('issuance.form.longTerm')}
                </label>
              </span>
            </label>
          )}
          <label className="field-block">
            <span>{t('issuance.status.reason')}</span>
            <textarea
              rows={3}
              autoFocus
              maxLength={500}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              aria-invalid={reason.length > 0 && !reasonOk}
              data-testid="status-reason"
            />
            {reason.length > 0 && !reasonOk && (
              <small className="face-issue">{t('issuance.status.reasonShort')}</small>
            )}
          </label>
          <div className="dialog-actions">
            <button type="button" className="button subtle" onClick={close}>
              {t('issuance.status.cancel')} <kbd>Esc</kbd>
            </button>
            <button
              type="submit"
              className={
                action && FINAL.includes(action) ? 'button primary danger' : 'button primary'
              }
              disabled={!ready}
              data-testid="status-confirm"
            >
              {t('issuance.status.confirm')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  )
}
