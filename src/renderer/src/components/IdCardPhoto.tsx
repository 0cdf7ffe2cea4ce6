import { useState } from 'react'
import type { IdCardHolder } from '../../../shared/domain'
import { useT, type MessageKey } from '../i18n'

type Photo = IdCardHolder['photo']

const PLACEHOLDER_TEXT: Record<Exclude<Photo['state'], 'decoded'> | 'broken', MessageKey> = {
  'no-decoder': 'holder.photo.noDecoder',
  failed: 'holder.photo.failed',
  none: 'idcard.photo.none',
  broken: 'idcard.photo.broken',
}

/**
 * The card photo, or a calm placeholder that says why there is none. An image the browser cannot
 * draw falls back to the placeholder: the clerk never sees a broken-image icon.
 */
export function IdCardPhoto({ photo }: { photo: Photo }) {
  const t = useT()
  const [broken, setBroken] = useState(false)
  if (photo.state === 'decoded' && !broken) {
    return (
      <img
        className="photo"
        src={photo.dataUrl}
        alt={t('idcard.photo.alt')}
        data-testid="holder-photo"
        onError={() => setBroken(true)}
      />
    )
  }
  const state = photo.state === 'decoded' ? 'broken' : photo.state
  return (
    <div
      className="photo placeholder"
      data-testid="photo-placeholder"
      data-state={state}
      title={photo.state === 'failed' ? photo.reason : undefined}
    >
      <svg viewBox="0 0 102 126" aria-hidden="true">
        <circle cx="51" cy="46" r="22" />
        <path d="M12 126c4-30 20-44 39-44s35 14 39 44z" />
      </svg>
      <span>{t(PLACEHOLDER_TEXT[state])}</span>
    </div>
  )
}
