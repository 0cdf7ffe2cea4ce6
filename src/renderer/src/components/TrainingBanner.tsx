import { useT } from '../i18n'

/** Permanent in training mode: a stripe that cannot be dismissed, and a faint page watermark. */
export function TrainingBanner() {
  const t = useT()
  return (
    <>
      <div className="training-stripe" role="note" data-testid="training-banner">
        {t('training.banner')}
      </div>
      <div className="training-watermark" aria-hidden="true">
        {Array.from({ length: 12 }, (_, i) => (
          <span key={i}>{t('training.watermark')}</span>
        ))}
      </div>
    </>
  )
}
