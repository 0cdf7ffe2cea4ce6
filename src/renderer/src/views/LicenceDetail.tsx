import { useEffect, useMemo, useRef } from 'react'
import type { LicencePreview, Verification } from '../../../shared/domain'
import { useHotkeys } from '../hooks/useHotkeys'
import { useT } from '../i18n'
import { useLicences, usable } from '../stores/licences'
import { LicenceDocumentView } from './LicenceDocument'
import { licenceTone, licenceWarnings, SealBadge } from './LicenceList'

const time = (iso: string) => new Date(iso).toLocaleString('zh-CN', { hour12: false })

function VerificationBox({ v }: { v: Verification }) {
  const t = useT()
  return (
    <section
      className={`verification verdict-${v.verdict}`}
      data-testid="licence-verification"
      data-verdict={v.verdict}
    >
      <h3>
        {t('verify.title')}：
        <strong>
          {t(
            v.verdict === 'ok'
              ? 'verify.ok'
              : v.verdict === 'caution'
                ? 'verify.caution'
                : 'verify.danger',
          )}
        </strong>
        <span className="muted small">{t('verify.checkedAt', { time: time(v.checkedAt) })}</span>
      </h3>
      <ul>
        {v.findings.map((f, i) => (
          <li key={i} className={`finding tone-${f.tone}`} data-code={f.code}>
            {t(`finding.${f.code}`, { detail: f.detail ?? '' })}
            {f.detail && f.code.startsWith('seal-') && (
              <span className="muted small">（{f.detail}）</span>
            )}
          </li>
        ))}
        {v.library.file === 'consistent' && (
          <li className="finding tone-ok">{t('verify.library.file')}</li>
        )}
        {v.library.info === 'consistent' && (
          <li className="finding tone-ok">{t('verify.library.info')}</li>
        )}
      </ul>
    </section>
  )
}

function Facts({ p }: { p: LicencePreview }) {
  const t = useT()
  const s = p.summary
  const rows: [string, string, string?][] = [
    [t('detail.holder'), `${s.holderName}（${p.holderIdentityMasked}）`],
    [t('detail.issuer'), `${s.issuer}（${s.issuerCode}）`],
    [t('detail.issuedOn'), s.issuedOn],
    [
      t('detail.validity'),
      `${s.validFrom} — ${s.validTo === 'long-term' ? t('holder.longTerm') : s.validTo}`,
    ],
    [t('detail.identifier'), s.identifier, 'mono'],
    ...(p.regionCode ? ([[t('detail.region'), p.regionCode]] as [string, string][]) : []),
  ]
  return (
    <dl className="facts">
      {rows.map(([k, v, cls]) => (
        <div key={k} className="fact">
          <dt>{k}</dt>
          <dd className={cls}>{v}</dd>
        </div>
      ))}
    </dl>
  )
}

/** One licence: its face data beside the document, its checks, and what may be done with it. */
export function LicenceDetail() {
  const t = useT()
  const detail = useLicences((s) => s.detail)
  const copy = useLicences((s) => s.copy)
  const picked = useLicences(
    (s) => detail.state !== 'closed' && s.selected.includes(detail.identifier),
  )
  const v = useLicences((s) =>
    detail.state === 'closed' ? undefined : s.verifications[detail.identifier],
  )
  const seal = useLicences((s) =>
    detail.state === 'open' ? s.sealOf(detail.preview.summary) : undefined,
  )
  const ref = useRef<HTMLDivElement>(null)
  const { close, verify, copyFile, toggle, setZoom, setPage } = useLicences.getState()

  useEffect(() => {
    ref.current?.focus()
    return () => {
      ;(document.querySelector('[data-testid="licence-table"]') as HTMLElement | null)?.focus()
    }
  }, [])

  const open = detail.state === 'open' ? detail.preview : null
  const canPick = !!open && !!seal && usable(open.summary, seal, v)

  const hotkeys = useMemo(
    () => ({
      Escape: () => close(),
      v: () => open && void verify(open.summary.identifier),
      d: () => open && void copyFile(open.summary.identifier),
      ' ': () => open && (canPick || picked) && toggle(open.summary.identifier),
      '+': () => setZoom(Math.min(4, zoomNumber() * 1.25)),
      '=': () => setZoom(Math.min(4, zoomNumber() * 1.25)),
      '-': () => setZoom(Math.max(0.25, zoomNumber() / 1.25)),
      '0': () => setZoom('fit'),
      PageDown: () => setPage(useLicences.getState().page + 1),
      PageUp: () => setPage(useLicences.getState().page - 1),
    }),
    [open, canPick, picked, close, verify, copyFile, toggle, setZoom, setPage],
  )
  useHotkeys(hotkeys)

  if (detail.state === 'closed') return null
  if (!open) {
    return (
      <div
        className="licence-detail"
        ref={ref}
        tabIndex={-1}
        data-testid="licence-detail"
        data-state="loading"
      >
        <div className="progress" role="progressbar" aria-label={t('detail.loading')}>
          <span className="progress-bar" />
          <span>{t('detail.loading')}</span>
        </div>
      </div>
    )
  }

  const s = open.summary
  const shown = { ...s, status: v?.status ?? s.status }
  const tone = licenceTone(shown, seal, v)
  const warnings = licenceWarnings(t, s, seal!, v)
  return (
    <div
      className={`licence-detail tone-${tone}`}
      ref={ref}
      tabIndex={-1}
      data-testid="licence-detail"
      data-state="open"
      data-identifier={s.identifier}
      aria-label={`${s.typeName} ${s.number}`}
    >
      <header className="detail-head">
        <button
          type="button"
          className="button subtle small"
          onClick={close}
          data-testid="detail-back"
        >
          ← {t('detail.back')} <kbd>Esc</kbd>
        </button>
        <span className="detail-type">{s.typeName}</span>
        <span className="detail-number">{s.number}</span>
        <span className={`badge tone-${licenceTone(shown)}`} data-testid="detail-status">
          {shown.status.inForce && s.expired ? t('licence.expired') : shown.status.label}
        </span>
        <SealBadge seal={seal!} testId="detail-head-seal" />
      </header>
      {warnings.length > 0 && (
        <div className="detail-alarm" role="alert" data-testid="detail-warning">
          {warnings.map((w) => (
            <div key={w}>⚠ {w}</div>
          ))}
        </div>
      )}
      {open.offline && (
        <p className="warning offline" data-testid="detail-offline">
          {t('detail.offline', { time: time(open.offline.asOf) })}
        </p>
      )}
      <div className="detail-body">
        <div className="detail-facts">
          <h3>{t('detail.face')}</h3>
          {open.faceFields.length === 0 ? (
            <p className="muted">{t('detail.noFace')}</p>
          ) : (
            <dl className="facts face" data-testid="detail-face">
              {open.faceFields.map((f, i) => (
                <div key={`${f.name}-${i}`} className="fact">
                  <dt>{f.name}</dt>
                  <dd>{f.value}</dd>
                </div>
              ))}
            </dl>
          )}
          <h3>{t('detail.meta')}</h3>
          <Facts p={open} />
          {open.annotation && (
            <>
              <h3>{t('detail.annotation')}</h3>
              <p className="small" data-testid="detail-annotation">
                {t('detail.annotation.text', {
                  ...open.annotation,
                  madeAt: time(open.annotation.madeAt),
                })}
              </p>
            </>
          )}
          {v && <VerificationBox v={v} />}
        </div>
        <LicenceDocumentView preview={open} />
      </div>
      <footer className="detail-actions">
        <button
          type="button"
          className="button"
          onClick={() => void verify(s.identifier)}
          data-testid="detail-verify"
        >
          {t('detail.verify')} <kbd>V</kbd>
        </button>
        <button
          type="button"
          className="button"
          onClick={() => void copyFile(s.identifier)}
          disabled={copy.state === 'saving'}
          data-testid="detail-copy"
        >
          {t('detail.copy')} <kbd>D</kbd>
        </button>
        <button
          type="button"
          className={picked ? 'button primary' : 'button'}
          onClick={() => toggle(s.identifier)}
          disabled={!canPick && !picked}
          data-testid="detail-pick"
        >
          {t(picked ? 'detail.unpick' : 'detail.pick')} <kbd>空格</kbd>
        </button>
        {copy.state === 'done' && (
          <span
            className={copy.result.annotated ? 'copy-done' : 'copy-done warning caution'}
            data-testid="detail-copied"
            data-annotated={copy.result.annotated ? 'true' : 'false'}
            role="status"
          >
            {copy.result.annotated
              ? t('detail.copied', { path: copy.result.path })
              : t('detail.copiedPlain', { path: copy.result.path })}
            {copy.result.annotation &&
              ` · ${t('detail.copyExpiry', { date: copy.result.annotation.expiresAt })}`}
          </span>
        )}
        <span className="toolbar-spacer" />
        <span className="key-hint">{t('detail.keys')}</span>
      </footer>
    </div>
  )
}

function zoomNumber(): number {
  const { zoom, fitScale } = useLicences.getState()
  return zoom === 'fit' ? fitScale : zoom
}
