/**
 * The passport / permit reader at the window. Joins the reader (PC/SC or simulated), the key the
 * clerk typed, reading and verification, and the applicant session: a verified chip becomes the
 * applicant exactly as an ID card does, and lifting it (or "下一位") forgets it.
 */
import type { AccessKeyInput, EmrtdState, MrzCheck, TrainingDocument } from '../../../shared/domain'
import { CounterError, toErrorInfo } from '../../../shared/errors'
import { maskIdNumber } from '../../../shared/ids'
import type { CoreContext, CoreModule } from '../../context'
import { emrtdDriver, type ChipSlot, type SimulatedSlotSource } from './driver'
import { holderFromChip, documentTypeOf, type ChipIdentity } from './holder'
import { mrzInfoFromFields, parseMrz } from './mrz'
import { readChip, type AccessKey, type ReadProgress } from './read-chip'
import { CscaStore } from './trust-store'
import { buildDocument } from './verify'
import { parseCertificate } from './pki/x509'

export interface EmrtdTrainingLevers {
  readonly reader: SimulatedSlotSource
  documents(): TrainingDocument[]
  place(id: string, options: { slow?: boolean; noExtendedLength?: boolean }): Promise<void>
  remove(): Promise<void>
  /** The training CSCA, imported into the (training) trust store at start. */
  readonly cscaCertificate: Uint8Array
}

export interface EmrtdModule extends CoreModule<'emrtd'> {
  /** The chip holder currently at the window, if the session's applicant came from a chip. */
  currentIdentity(): ChipIdentity | undefined
  readonly trustStore: CscaStore
}

export interface EmrtdModuleOptions {
  readonly training?: EmrtdTrainingLevers
}

/** Turns what the clerk typed into a chip key; EMRTD_MRZ_INVALID names what is wrong. */
export function accessKeyFrom(input: AccessKeyInput): AccessKey {
  if (input.kind === 'can') return { kind: 'can', can: input.can }
  if (input.kind === 'fields') return { kind: 'mrz', mrzInfo: mrzInfoFromFields(input).mrzInfo }
  const m = parseMrz(input.lines)
  if (!m.valid) {
    const names: Record<string, string> = {
      documentNumber: '证件号码',
      birthDate: '出生日期',
      expiryDate: '有效期至',
      personalNumber: '个人号码',
      composite: '总校验位',
    }
    const bad = Object.entries(m.checks)
      .filter(([, ok]) => !ok)
      .map(([k]) => names[k] ?? k)
    throw new CounterError('EMRTD_MRZ_INVALID', {
      params: { reason: `${bad.join('、')}校验位不符` },
    })
  }
  return { kind: 'mrz', mrzInfo: m.mrzInfo }
}

export function checkMrz(lines: readonly string[]): MrzCheck {
  try {
    const m = parseMrz(lines)
    return {
      format: m.format,
      documentType: documentTypeOf(m),
      valid: m.valid,
      checks: { ...m.checks },
      documentNumberMasked: maskIdNumber(m.documentNumber),
      birthDate: m.birthDate,
      expiryDate: m.expiryDate,
    }
  } catch (error) {
    return {
      valid: false,
      checks: {},
      problem: error instanceof CounterError ? error.message : '无法识别',
    }
  }
}

export function createEmrtdModule(ctx: CoreContext, options: EmrtdModuleOptions = {}): EmrtdModule {
  const cfg = ctx.config.emrtd
  const logger = ctx.logger.child('emrtd')
  const trustStore = new CscaStore(ctx.db)
  const training = options.training
  let state: EmrtdState = {
    phase: 'idle',
    readerPresent: false,
    chipPresent: false,
    keyReady: false,
  }
  let key: AccessKey | undefined
  let slot: ChipSlot | undefined
  let reading: AbortController | undefined
  let current: ChipIdentity | undefined
  let readCount = 0

  const set = (patch: Partial<EmrtdState>, drop: (keyof EmrtdState)[] = []) => {
    const next: Record<string, unknown> = { ...state, ...patch, keyReady: !!key }
    for (const k of drop) delete next[k]
    state = next as EmrtdState
    ctx.events.emit('emrtd', state)
  }

  // Access control takes the first few per cent, then each file its share (a big DG2 moves the bar
  // within its share), then verification; Chip Authentication happens between files.
  const progress = (p: ReadProgress) => {
    let fraction = 0.04
    if (p.phase !== 'access') {
      const within = p.length ? Math.min(1, (p.offset ?? 0) / p.length) : 0
      const done = p.fileCount > 0 ? Math.min(1, (p.fileIndex + within) / p.fileCount) : 0
      fraction = 0.08 + 0.87 * done
    }
    // Never backwards: the file count is only an estimate until EF.COM has been read.
    fraction = Math.max(fraction, state.progress?.fraction ?? 0)
    set({
      progress: {
        step: p.phase,
        ...(p.file ? { file: p.file } : {}),
        fileIndex: p.fileIndex,
        fileCount: p.fileCount,
        fraction: Math.round(fraction * 1000) / 1000,
      },
    })
  }

  const read = async (): Promise<void> => {
    const s = slot
    const k = key
    if (!s) return
    if (!k) {
      set({ phase: 'need-key' }, ['progress', 'error'])
      return
    }
    reading?.abort()
    const controller = new AbortController()
    reading = controller
    const n = ++readCount
    set(
      { phase: 'reading', progress: { step: 'access', fileIndex: 0, fileCount: 0, fraction: 0 } },
      ['error'],
    )
    s.busy(true)
    const started = performance.now()
    try {
      if (n > 1) await s.reset().catch(() => undefined)
      const chip = await readChip(s.transport, {
        key: k,
        strategy: cfg.strategy,
        pace: cfg.pace,
        chipAuthentication: cfg.chipAuthentication,
        activeAuthentication: cfg.activeAuthentication,
        extendedLength: s.transport.extendedApdu === false ? false : s.extendedLength,
        signal: controller.signal,
        onProgress: progress,
      })
      set({ progress: { step: 'verifying', fileIndex: 1, fileCount: 1, fraction: 0.97 } })
      const doc = buildDocument(chip.files, trustStore)
      const holder = await holderFromChip(
        doc,
        {
          accessControl: chip.accessControl,
          active: chip.activeAuthentication,
          chipAuthentication: chip.chipAuthentication,
        },
        performance.now() - started,
      )
      if (controller.signal.aborted || slot !== s) return
      key = undefined
      current = holder.identity
      logger.info('chip read', {
        documentType: holder.identity.documentType,
        holder: maskIdNumber(holder.identity.documentNumber),
        access: chip.accessControl,
        paceFallback: chip.paceFallback,
        passive: doc.passive.verdict,
        reason: doc.passive.reason,
        active: chip.activeAuthentication.state,
        chipAuthentication: chip.chipAuthentication.state,
        apdus: chip.apduCount,
        ms: Math.round(performance.now() - started),
        warnings: doc.warnings.length,
      })
      ctx.session.identify({
        kind: 'person',
        code: holder.identity.documentNumber,
        holderTypeCode: holder.identity.holderTypeCode,
        name: holder.identity.name,
        view: holder.view,
      })
      set({ phase: 'done' }, ['progress', 'error'])
    } catch (error) {
      if (controller.signal.aborted || slot !== s) return
      const info = toErrorInfo(error)
      logger.warn('chip read failed', {
        code: info.code,
        detail: error instanceof CounterError ? error.detail : String(error),
      })
      // A wrong key will not get better by retrying it: ask for it again.
      if (info.code === 'EMRTD_ACCESS_DENIED' || info.code === 'EMRTD_UNSUPPORTED') key = undefined
      if (info.code === 'EMRTD_CARD_REMOVED') set({ phase: 'idle' }, ['progress', 'error'])
      else
        set(
          { phase: 'failed', error: { code: info.code, message: info.message, hint: info.hint } },
          ['progress'],
        )
    } finally {
      s.busy(false)
      if (reading === controller) reading = undefined
    }
  }

  const placed = (s: ChipSlot) => {
    slot = s
    readCount = 0
    set({ chipPresent: true }, ['error', 'progress'])
    void read()
  }

  const removed = () => {
    reading?.abort()
    slot = undefined
    const view = ctx.session.view()
    if (current && view.holder?.source === 'emrtd' && view.holder.readAt === current.readAt)
      ctx.session.clear()
    current = undefined
    set({ phase: 'idle', chipPresent: false }, ['progress', 'error'])
  }

  // The session moved on ("下一位", another card): the chip holder is no longer the applicant.
  ctx.events.on((event, payload) => {
    if (event !== 'session' || !current) return
    const holder = (payload as { holder: { source: string; readAt: string } | null }).holder
    if (!holder || holder.source !== 'emrtd' || holder.readAt !== current.readAt) {
      current = undefined
      key = undefined
      if (state.phase === 'done') set({ phase: 'idle' }, ['progress', 'error'])
    }
  })

  const reader =
    cfg.reader.kind === 'auto' ? (ctx.training ? 'simulated' : 'pcsc') : cfg.reader.kind
  if (reader === 'simulated' && training) {
    ctx.devices.add(
      emrtdDriver({
        id: 'emrtd-sim',
        label: '护照阅读器（模拟）',
        source: { kind: 'simulated', reader: training.reader },
        onPlaced: placed,
        onRemoved: removed,
        onReader: (present, label) =>
          set({ readerPresent: present, ...(label ? { readerLabel: label } : {}) }),
        onError: (e) => logger.warn('reader error', { code: e.code }),
      }),
    )
  } else if (reader === 'pcsc') {
    ctx.devices.add(
      emrtdDriver({
        id: 'emrtd-pcsc',
        label: '护照/通行证阅读器',
        source: {
          kind: 'pcsc',
          ...(cfg.reader.kind === 'pcsc' && cfg.reader.name ? { readerName: cfg.reader.name } : {}),
        },
        onPlaced: placed,
        onRemoved: removed,
        onReader: (present, label) =>
          set(
            { readerPresent: present, ...(label ? { readerLabel: label } : {}) },
            present ? [] : ['readerLabel'],
          ),
        onError: (e) => logger.warn('reader error', { code: e.code }),
      }),
    )
  }

  const requireTraining = (): EmrtdTrainingLevers => {
    if (!training || reader !== 'simulated') throw new CounterError('EMRTD_NOT_SIMULATED')
    return training
  }

  return {
    trustStore,
    currentIdentity: () => {
      const view = ctx.session.view()
      if (!current || view.holder?.source !== 'emrtd' || view.holder.readAt !== current.readAt)
        return undefined
      return current
    },
    async start() {
      if (training && ctx.training) {
        trustStore.add([parseCertificate(training.cscaCertificate)], 'training')
      }
    },
    async stop() {
      reading?.abort()
    },
    handlers: {
      emrtd: {
        state: () => state,
        setKey: (input) => {
          key = accessKeyFrom(input)
          set({}, ['error'])
          if (slot && state.phase !== 'reading') void read()
          return state
        },
        clearKey: () => {
          key = undefined
          set({})
          return state
        },
        checkMrz: (lines) => checkMrz(lines),
        retry: () => {
          if (slot && state.phase !== 'reading') void read()
          return state
        },
        trainingDocuments: () => requireTraining().documents(),
        trainingPlace: async (id, opts) => {
          await requireTraining().place(id, opts)
          return null
        },
        trainingRemove: async () => {
          await requireTraining().remove()
          return null
        },
        cscaList: () => trustStore.list(),
        cscaImport: ({ name, base64 }) => {
          const staff = ctx.staff.current()
          if (!ctx.training && staff?.role !== 'administrator')
            throw new CounterError('ROLE_ADMIN_REQUIRED')
          const result = trustStore.importFile(new Uint8Array(Buffer.from(base64, 'base64')), name)
          logger.info('CSCA imported', { source: name, ...result })
          return result
        },
      },
    },
  }
}
