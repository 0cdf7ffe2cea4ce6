import { useEffect, useMemo } from 'react'
import { useHotkeys } from '../../hooks/useHotkeys'
import { useT } from '../../i18n'
import { useEmrtd } from '../../stores/emrtd'
import './emrtd.css'

/** The training lever for the simulated passport reader, beside the ID card one. */
export function EmrtdTrainingPanel() {
  const t = useT()
  const {
    trainingDocuments,
    trainingSelected,
    trainingSlow,
    trainingNoExtended,
    selectTraining,
    setTrainingOption,
    placeTraining,
    removeTraining,
    setDraft,
  } = useEmrtd()
  useEffect(() => {
    void useEmrtd.getState().loadTraining()
  }, [])
  const hotkeys = useMemo(() => ({ F6: () => void useEmrtd.getState().placeTraining() }), [])
  useHotkeys(hotkeys)
  if (trainingDocuments.length === 0) return null
  const doc = trainingDocuments.find((d) => d.id === trainingSelected)
  return (
    <section
      className="panel training-panel emrtd-training"
      aria-labelledby="emrtd-training-title"
      data-testid="emrtd-training-panel"
    >
      <h2 id="emrtd-training-title">{t('emrtdTraining.title')}</h2>
      <div className="emrtd-training-row">
        <select
          value={trainingSelected ?? ''}
          onChange={(e) => selectTraining(e.target.value)}
          aria-label={t('emrtdTraining.document')}
          data-testid="emrtd-training-select"
        >
          {trainingDocuments.map((d) => (
            <option key={d.id} value={d.id}>
              {d.label}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button small"
          onClick={() => void placeTraining()}
          data-testid="emrtd-training-place"
        >
          {t('emrtdTraining.place')} <kbd>F6</kbd>
        </button>
        <button
          type="button"
          className="button small subtle"
          onClick={() => void removeTraining()}
          data-testid="emrtd-training-remove"
        >
          {t('emrtdTraining.remove')}
        </button>
      </div>
      <div className="emrtd-training-options">
        <label>
          <input
            type="checkbox"
            checked={trainingSlow}
            onChange={(e) => setTrainingOption('slow', e.target.checked)}
            data-testid="emrtd-training-slow"
          />
          {t('emrtdTraining.slow')}
        </label>
        <label>
          <input
            type="checkbox"
            checked={trainingNoExtended}
            onChange={(e) => setTrainingOption('noExtended', e.target.checked)}
            data-testid="emrtd-training-noext"
          />
          {t('emrtdTraining.noExtended')}
        </label>
      </div>
      {doc && doc.printedMrz.length > 0 && (
        <div className="data-page">
          <div className="data-page-head">
            <span className="data-page-label">{t('emrtdTraining.dataPage')}</span>
            <button
              type="button"
              className="button small subtle"
              onClick={() => setDraft(doc.printedMrz.join('\n'))}
              data-testid="emrtd-training-fill"
            >
              {t('emrtdTraining.fill')}
            </button>
          </div>
          <pre className="data-page-mrz" data-testid="emrtd-training-mrz">
            {doc.printedMrz.join('\n')}
          </pre>
        </div>
      )}
    </section>
  )
}
