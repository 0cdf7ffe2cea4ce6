import { useT } from '../i18n'
import { useTraining } from '../stores/training'
import { TrainingCaKeys } from './auth/TrainingCaKeys'

/**
 * The levers of training mode — which simulated card to lay on the simulated reader, which CA key
 * to insert — as one row across the top of the counter, so that they stay in sight at any window
 * size however tall the applicant's panel grows.
 */
export function TrainingPanel() {
  const t = useT()
  const { cards, selected, select, place, remove } = useTraining()
  return (
    <section
      className="training-dock"
      aria-labelledby="training-title"
      data-testid="training-panel"
    >
      <h2 id="training-title">{t('training.panel')}</h2>
      <div className="training-group">
        <label className="training-field">
          <span>{t('training.card')}</span>
          <select
            value={selected ?? ''}
            onChange={(e) => select(e.target.value)}
            data-testid="training-card-select"
          >
            {cards.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <div className="training-actions">
          <button
            type="button"
            className="button"
            onClick={() => void place()}
            data-testid="training-place"
          >
            {t('training.place')} <kbd>F2</kbd>
          </button>
          <button
            type="button"
            className="button subtle"
            onClick={() => void remove()}
            data-testid="training-remove"
          >
            {t('training.remove')} <kbd>F3</kbd>
          </button>
        </div>
      </div>
      <TrainingCaKeys />
    </section>
  )
}
