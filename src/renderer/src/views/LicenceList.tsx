import { useEffect, useMemo, useRef } from 'react'
import './licences.css'
import {
  isSealFailed,
  type LicenceSeal,
  type LicenceSummary,
  type Verification,
} from '../../../shared/domain'
import { useHotkeys } from '../hooks/useHotkeys'
import { useT, type MessageKey } from '../i18n'
import { libraryObjections, useLicences, usable, type LibraryObjection } from '../stores/licences'
import { useMatters } from '../stores/matters'
import { useSession } from '../stores/session'
import { AttachDialog } from './AttachDialog'
import { LicenceDetail } from './LicenceDetail'
import { QrEntry } from './QrEntry'

export type Tone = 'ok' | 'caution' | 'danger'

/**
 * Revoked, cancelled, abolished and expired licences are unusable, and so is one whose seal fails
 * or that the library does not recognise as its own; suspended or pledged ones need care.
 */
export function licenceTone(
  l: LicenceSummary,
  seal: LicenceSeal = { state: 'unchecked' },
  v?: Verification,
): Tone {
  if (l.expired || isSealFailed(seal) || libraryObjections(v).length > 0) return 'danger'
  if (l.status.inForce) return 'ok'
  return ['挂起', '质押'].includes(l.status.label) ? 'caution' : 'danger'
}

const OBJECTION_WARNING: Record<LibraryObjection, MessageKey> = {
  'file-inconsistent': 'licence.warn.fileInconsistent',
  'info-inconsistent': 'licence.warn.infoInconsistent',
  'not-found': 'licence.warn.notFound',
}

/** What the core says while a seal is being checked (SEAL_PENDING in main). */
const SEAL_PENDING_REASON = '正在核验'

export const SEAL_LABEL: Record<LicenceSeal['state'], MessageKey> = {
  unchecked: 'licence.seal.unchecked',
  valid: 'licence.seal.valid',
  altered: 'licence.seal.altered',
  invalid: 'licence.seal.invalid',
  untrusted: 'licence.seal.untrusted',
  unverifiable: 'licence.seal.unverifiable',
}

export function SealBadge({
  seal,
  testId = 'licence-seal',
}: {
  seal: LicenceSeal
  testId?: string
}) {
  const t = useT()
  const tone = seal.state === 'valid' ? 'ok' : isSealFailed(seal) ? 'danger' : 'none'
  return (
    <span
      className={tone === 'none' ? 'seal-badge muted' : `badge tone-${tone}`}
      data-testid={testId}
      data-seal={seal.state}
      title={'reason' in seal ? seal.reason : undefined}
    >
      {seal.state === 'unchecked' && seal.reason === SEAL_PENDING_REASON
        ? t('licence.seal.pending')
        : t(SEAL_LABEL[seal.state])}
    </span>
  )
}

/** The lines a clerk cannot miss under a licence that must not be relied on. */
export function licenceWarnings(
  t: ReturnType<typeof useT>,
  l: LicenceSummary,
  seal: LicenceSeal,
  v?: Verification,
): string[] {
  const status = v?.status ?? l.status
  return [
    !status.inForce ? t('licence.warn.notInForce', { status: status.label }) : null,
    status.inForce && l.expired ? t('licence.warn.expired') : null,
    isSealFailed(seal) ? t(`licence.warn.seal.${seal.state}`) : null,
    ...libraryObjections(v).map((o) => t(OBJECTION_WARNING[o])),
    !l.identifierCheckOk ? t('licence.warn.badIdentifier') : null,
  ].filter((w): w is string => w !== null)
}

function Row({ l, index }: { l: LicenceSummary; index: number }) {
  const t = useT()
  const seal = useLicences((s) => s.sealOf(l))
  const v = useLicences((s) => s.verifications[l.identifier])
  const picked = useLicences((s) => s.selected.includes(l.identifier))
  const atCursor = useLicences((s) => s.cursor === index)
  const { toggle, open, setCursor } = useLicences.getState()
  const status = v?.status ?? l.status
  const shown = { ...l, status }
  const tone = licenceTone(shown, seal, v)
  const validTo = l.validTo === 'long-term' ? t('holder.longTerm') : l.validTo
  const warnings = licenceWarnings(t, l, seal, v)
  const canPick = usable(l, seal, v)
  return (
    <>
      <tr
        className={`licence tone-${tone}${atCursor ? ' cursor' : ''}${picked ? ' picked' : ''}`}
        data-testid="licence-row"
        data-identifier={l.identifier}
        data-tone={tone}
        aria-selected={atCursor}
        onClick={() => setCursor(index)}
        onDoubleClick={() => void open(l.identifier)}
      >
        <td className="pick">
          <input
            type="checkbox"
            tabIndex={-1}
            checked={picked}
            disabled={!canPick && !picked}
            onChange={() => toggle(l.identifier)}
            aria-label={t('licence.col.select')}
            data-testid="licence-pick"
          />
        </td>
        <td className="type">{l.typeName}</td>
        <td className="number">{l.number}</td>
        <td>{l.issuer}</td>
        <td className="validity">
          {l.validFrom} — {validTo}
        </td>
        <td>
          <span className={`badge tone-${licenceTone(shown)}`} data-testid="licence-status">
            {status.inForce && l.expired ? t('licence.expired') : status.label}
          </span>
        </td>
        <td>
          <SealBadge seal={seal} />
        </td>
        <td className="row-actions">
          <button
            type="button"
            className="button subtle small"
            tabIndex={-1}
            onClick={() => void open(l.identifier)}
            data-testid="licence-open"
          >
            {t('licence.open')}
          </button>
        </td>
      </tr>
      {warnings.length > 0 && (
        <tr className={`licence-warning tone-${tone}`}>
          <td colSpan={8} data-testid="licence-warning">
            {warnings.join('；')}
          </td>
        </tr>
      )}
    </>
  )
}

function Toolbar() {
  const t = useT()
  const matterCode = useSession((s) => s.matterCode)
  const { selected, verifying, pinnedMatter } = useLicences()
  const { verifyAll, openAttach, openQr, pin } = useLicences.getState()
  const kept = !!matterCode && pinnedMatter === matterCode
  return (
    <div className="licence-toolbar" role="toolbar" aria-label={t('licence.actions')}>
      <button
        type="button"
        className="button small"
        onClick={() => void verifyAll()}
        disabled={!!verifying}
        data-testid="licence-verify-all"
      >
        {verifying ? t('licence.verifying', verifying) : t('licence.verifyAll')}
      </button>
      <button
        type="button"
        className="button small"
        onClick={openAttach}
        disabled={selected.length === 0}
        data-testid="licence-attach"
      >
        {t('licence.attachSelected', { n: selected.length })}
      </button>
      <button
        type="button"
        className="button small"
        onClick={() => void openQr()}
        data-testid="licence-qr"
      >
        {t('licence.qr')}
      </button>
      <span className="toolbar-spacer" />
      {kept ? (
        <span className="pinned" data-testid="licence-pinned">
          {t('licence.pinned')}
          <button type="button" className="button subtle small" onClick={() => pin(null)}>
            {t('licence.unpin')}
          </button>
        </span>
      ) : (
        <button
          type="button"
          className="button subtle small"
          onClick={() => pin(matterCode)}
          disabled={!matterCode}
          data-testid="licence-pin"
        >
          {t('licence.pin')}
        </button>
      )}
    </div>
  )
}

export function LicenceList() {
  const t = useT()
  const { holder, matterCode, licences, refresh } = useSession()
  const matters = useMatters((s) => s.matters)
  const matter = matters.find((m) => m.code === matterCode)
  const detailOpen = useLicences((s) => s.detail.state !== 'closed')
  const dialogOpen = useLicences((s) => s.attach.state !== 'closed' || s.qr.state !== 'closed')
  const tableRef = useRef<HTMLDivElement>(null)
  const loaded = licences.state === 'loaded' ? licences.list : null

  // Mark the moment rows are on screen, for the card-to-list measurement.
  useEffect(() => {
    if (!loaded) return
    requestAnimationFrame(() => performance.mark('licences:rendered'))
  }, [loaded])

  useEffect(() => {
    const el = tableRef.current?.querySelector('tr.cursor')
    el?.scrollIntoView?.({ block: 'nearest' })
  })

  const hotkeys = useMemo(
    () => ({
      F7: () => !detailOpen && void useLicences.getState().verifyAll(),
      F8: () => useLicences.getState().openAttach(),
      F9: () => holder && matterCode && void useLicences.getState().openQr(),
    }),
    [detailOpen, holder, matterCode],
  )
  useHotkeys(hotkeys)

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (detailOpen || dialogOpen || !loaded) return
    const s = useLicences.getState()
    const row = loaded.items[s.cursor]
    if (e.key === 'ArrowDown') s.moveCursor(1)
    else if (e.key === 'ArrowUp') s.moveCursor(-1)
    else if (e.key === 'Home') s.setCursor(0)
    else if (e.key === 'End') s.setCursor(loaded.items.length - 1)
    else if (e.key === 'Enter' && row) void s.open(row.identifier)
    else if (e.key === ' ' && row) {
      if (
        usable(row, s.sealOf(row), s.verifications[row.identifier]) ||
        s.selected.includes(row.identifier)
      )
        s.toggle(row.identifier)
    } else return
    e.preventDefault()
  }

  return (
    <section
      className="panel licences"
      aria-labelledby="licence-title"
      data-testid="licence-list"
      data-state={licences.state}
      data-offline={loaded?.offline ? 'true' : undefined}
    >
      <h2 id="licence-title">
        {t('licence.title')}
        {matter && <span className="matter-chosen">{matter.name}</span>}
        {loaded && (
          <span className="fetched-at">
            {t('licence.fetchedAt', {
              time: new Date(loaded.fetchedAt).toLocaleTimeString('zh-CN', { hour12: false }),
            })}
          </span>
        )}
        {matter && holder && (
          <button type="button" className="button subtle small" onClick={() => void refresh()}>
            {t('licence.refresh')}
          </button>
        )}
      </h2>
      {licences.state === 'idle' && <p className="muted">{t('licence.pick')}</p>}
      {licences.state === 'loading' && (
        <div
          className="progress"
          role="progressbar"
          aria-label={t('licence.loading')}
          data-testid="licence-loading"
        >
          <span className="progress-bar" />
          <span>{t('licence.loading')}</span>
        </div>
      )}
      {loaded && (
        <>
          {loaded.offline && (
            <p className="warning offline" role="status" data-testid="licence-offline">
              {t('licence.offline', {
                time: new Date(loaded.offline.asOf).toLocaleString('zh-CN', { hour12: false }),
              })}
            </p>
          )}
          {loaded.missingTypes.length > 0 && (
            <p className="warning caution" data-testid="licence-missing">
              {t('licence.missing', {
                types: loaded.missingTypes.map((m) => m.name).join('、'),
              })}
            </p>
          )}
          {loaded.items.length === 0 ? (
            <p className="muted" data-testid="licence-empty">
              {t('licence.empty')}
            </p>
          ) : (
            <>
              <Toolbar />
              <div
                ref={tableRef}
                className="licence-table-wrap"
                tabIndex={0}
                onKeyDown={onKeyDown}
                data-testid="licence-table"
                aria-label={t('licence.keys')}
              >
                <table className="licence-table">
                  <thead>
                    <tr>
                      <th className="pick">{t('licence.col.select')}</th>
                      <th>{t('licence.col.type')}</th>
                      <th>{t('licence.col.number')}</th>
                      <th>{t('licence.col.issuer')}</th>
                      <th>{t('licence.col.validity')}</th>
                      <th>{t('licence.col.status')}</th>
                      <th>{t('licence.col.seal')}</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    {loaded.items.map((l, i) => (
                      <Row key={l.identifier} l={l} index={i} />
                    ))}
                  </tbody>
                </table>
              </div>
              <p className="key-hint">{t('licence.keys')}</p>
            </>
          )}
        </>
      )}
      {detailOpen && <LicenceDetail />}
      <AttachDialog />
      <QrEntry />
    </section>
  )
}
