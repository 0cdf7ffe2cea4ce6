import { BusinessSerialSchema } from '../../../shared/domain'
import { Dialog } from '../components/Dialog'
import { localiseError, useLanguage, useT } from '../i18n'
import { useLicences } from '../stores/licences'

/** Picked licences → application materials for one business serial number. */
export function AttachDialog() {
  const t = useT()
  const language = useLanguage((s) => s.language)
  const attach = useLicences((s) => s.attach)
  const serial = useLicences((s) => s.serial)
  const selected = useLicences((s) => s.selected)
  const items = useLicences((s) => s.items())
  const { setSerial, closeAttach, attachSelected } = useLicences.getState()
  const valid = BusinessSerialSchema.safeParse(serial).success

  if (attach.state === 'closed') return null
  const picked = items.filter((i) => selected.includes(i.identifier))
  return (
    <Dialog
      title={t('attach.title')}
      testId="attach-dialog"
      state={attach.state}
      {...(attach.state === 'saving' ? {} : { onEscape: closeAttach })}
    >
      {attach.state === 'done' ? (
        <>
          <p className="done" data-testid="attach-done">
            {t('attach.done', { n: attach.record.items.length, path: attach.record.exportPath })}
          </p>
          <ul className="attach-items">
            {attach.record.items.map((it) => (
              <li key={it.identifier}>
                {it.typeName} {it.number} · <span className="mono small">{it.fileName}</span>
              </li>
            ))}
          </ul>
          <div className="dialog-actions">
            <button
              type="button"
              className="button primary"
              autoFocus
              onClick={closeAttach}
              data-testid="attach-close"
            >
              {t('qr.close')}
            </button>
          </div>
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            if (valid) void attachSelected()
          }}
        >
          <label className="field-block">
            <span>{t('attach.serial')}</span>
            <input
              className="search"
              autoFocus
              value={serial}
              onChange={(e) => setSerial(e.target.value)}
              disabled={attach.state === 'saving'}
              aria-invalid={serial.length > 0 && !valid}
              data-testid="attach-serial"
            />
            <small className="muted">{t('attach.serialHint')}</small>
          </label>
          <p>{t('attach.items', { n: picked.length })}</p>
          <ul className="attach-items">
            {picked.map((i) => (
              <li key={i.identifier}>
                {i.typeName} · {i.number}
              </li>
            ))}
          </ul>
          {attach.state === 'editing' && attach.error && (
            <p className="warning danger" role="alert" data-testid="attach-error">
              {localiseError(attach.error, language).message}
              <br />
              <small>{localiseError(attach.error, language).hint}</small>
            </p>
          )}
          {attach.state === 'saving' && (
            <div className="progress" role="progressbar" aria-label={t('attach.saving')}>
              <span className="progress-bar" />
              <span>{t('attach.saving')}</span>
            </div>
          )}
          <div className="dialog-actions">
            <button
              type="button"
              className="button subtle"
              onClick={closeAttach}
              disabled={attach.state === 'saving'}
            >
              {t('attach.cancel')}
            </button>
            <button
              type="submit"
              className="button primary"
              disabled={!valid || attach.state === 'saving'}
              data-testid="attach-confirm"
            >
              {t('attach.confirm')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  )
}
