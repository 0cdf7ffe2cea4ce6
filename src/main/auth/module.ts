/**
 * The auth domain as a core module: CA keys in the status bar, the trust store (configured roots,
 * offline CRLs), the roster, staff sign-in and lock, enterprise applicants, and in training mode
 * the simulated keys with the trainee signed in automatically.
 */
import type { KeyView } from '../../shared/contract/auth'
import { CounterError } from '../../shared/errors'
import type { CoreContext, CoreModule } from '../context'
import { CaKeyService } from '../devices'
import {
  DEFAULT_IDENTITY_RULES,
  loadCertificateFiles,
  parseCertificate,
  TrustStore,
  type IdentityMapping,
  type IdentityRule,
} from '../pki'
import { createTrainingCaKeys, TRAINING_PIN, type TrainingCaKeys } from '../training'
import { EnterpriseApplicants } from './enterprise'
import { PinGuard } from './pin-guard'
import { createProviders, SIMULATED_PROVIDER_ID } from './providers'
import { RosterService } from './roster'
import { AuthService } from './service'

/** What the Electron shell drives: system idle time and the OS locking its screen. */
export interface AuthControl {
  systemIdle(seconds: number): void
  systemLocked(): void
}

export interface AuthModule extends CoreModule<'auth' | 'cakey'> {
  readonly control: AuthControl
  readonly service: AuthService
  readonly keys: CaKeyService
  readonly trust: TrustStore
  /** Training mode: the simulated keys. */
  readonly simulated?: TrainingCaKeys
}

const CRL_RESCAN_MS = 5 * 60_000
const TRAINEE_KEY = 'staff-trainee'

export function identityMapping(config: CoreContext['config']): IdentityMapping {
  const id = config.pki.identity
  return {
    rules: (id.rules as IdentityRule[] | undefined) ?? DEFAULT_IDENTITY_RULES,
    personName: id.personName,
    enterpriseName: id.enterpriseName,
    organizationName: id.organizationName,
    whenBoth: id.whenBoth,
  }
}

export function createAuthModule(ctx: CoreContext): AuthModule {
  const { config, logger: root } = ctx
  const logger = root.child('auth')
  const simulatedWanted =
    ctx.training &&
    (config.cakey.providers.length === 0 ||
      config.cakey.providers.some((p) => p.kind === 'simulated'))
  const simulated = simulatedWanted ? createTrainingCaKeys() : undefined

  const providers = createProviders(config, {
    training: ctx.training,
    logger: root,
    ...(simulated ? { simulator: () => simulated.simulator } : {}),
  })
  const keys = new CaKeyService(providers, logger.child('keys'))
  for (const driver of keys.drivers()) ctx.devices.add(driver)

  const trust = new TrustStore({
    roots: [
      ...loadCertificateFiles(config.pki.roots),
      ...(simulated ? [parseCertificate(simulated.root)] : []),
    ],
    intermediates: loadCertificateFiles(config.pki.intermediates),
    db: ctx.db,
    policy: { requireCrl: config.pki.requireCrl, staleGraceDays: config.pki.staleCrlGraceDays },
    logger: logger.child('trust'),
    skewSeconds: config.pki.clockSkewSeconds,
  })
  const identity = identityMapping(config)

  const roster = new RosterService(
    ctx.db,
    {
      ...(config.auth.roster.file ? { file: config.auth.roster.file } : {}),
      ...(config.auth.roster.url ? { url: config.auth.roster.url } : {}),
      timeoutMs: config.auth.roster.timeoutMs,
      ...(simulated && !config.auth.roster.file && !config.auth.roster.url
        ? { builtIn: simulated.roster }
        : {}),
    },
    logger.child('roster'),
  )

  const service = new AuthService({
    keys,
    trust,
    identity,
    roster,
    staff: ctx.staff,
    pins: new PinGuard(ctx.db, config.auth.pinAttempts, config.auth.pinLockMinutes),
    terminalId: config.terminal.id,
    idleLockMinutes: config.auth.idleLockMinutes,
    logger,
    onState: (state) => ctx.events.emit('auth', state),
    onSignedOut: () => ctx.session.clear(),
  })

  const applicants = new EnterpriseApplicants({
    readKeys: (id) => service.readKeys(id),
    trust,
    session: ctx.session,
    staff: ctx.staff,
    logger: logger.child('enterprise'),
    notice: (e) => ctx.events.emit('notice', { code: e.code, message: e.message, hint: e.hint }),
  })

  let views: Promise<KeyView[]> | undefined
  const publishKeys = () => {
    const next = service.keyViews()
    views = next
    next.then(
      (list) => {
        if (views === next) ctx.events.emit('cakeys', list)
      },
      (error) => logger.warn('key list failed', { error: String(error) }),
    )
  }

  keys.on((event) => {
    service.onKeyEvent(event)
    if (config.auth.enterpriseApplicants) void applicants.onKeyEvent(event)
    publishKeys()
  })

  const importCrls = () => {
    if (simulated) trust.importCrl(simulated.crl(), 'training')
    if (config.pki.crlDir) {
      const { imported, failed } = trust.importCrlFolder(config.pki.crlDir)
      if (imported.length || failed.length)
        logger.info('CRL folder scanned', {
          imported: imported.filter((i) => i.outcome === 'replaced').length,
          failed: failed.length,
        })
    }
  }
  let crlTimer: NodeJS.Timeout | undefined

  const requireSimulator = () => {
    if (!simulated) throw new CounterError('NOT_IN_TRAINING')
    return simulated
  }

  /** Training: the trainee's key is in from the start; sign in with it as a clerk would. */
  const autoSignIn = async () => {
    const tokenId = `${SIMULATED_PROVIDER_ID}/${TRAINEE_KEY}`
    for (let i = 0; i < 50 && !keys.token(tokenId); i++) {
      await new Promise((r) => setTimeout(r, 20))
      await keys.refresh()
    }
    try {
      await service.signIn(tokenId, TRAINING_PIN)
    } catch (error) {
      logger.warn('training auto sign-in failed', {
        code: error instanceof CounterError ? error.code : String(error),
      })
    }
  }

  return {
    service,
    keys,
    trust,
    ...(simulated ? { simulated } : {}),
    control: {
      systemIdle: (seconds) => service.systemIdle(seconds),
      systemLocked: () => void service.lock('system'),
    },
    async start() {
      importCrls()
      crlTimer = setInterval(importCrls, CRL_RESCAN_MS)
      crlTimer.unref()
      if (simulated && config.auth.autoSignIn) await autoSignIn()
    },
    async stop() {
      clearInterval(crlTimer)
    },
    handlers: {
      auth: {
        state: () => service.state(),
        keys: () => service.keyViews(),
        signIn: async (tokenId, pin) => {
          const state = await service.signIn(tokenId, pin)
          // An enterprise key already in identifies the applicant once a clerk is at work.
          if (config.auth.enterpriseApplicants && !ctx.session.view().holder) {
            for (const token of keys.tokens()) if (await applicants.identify(token.id)) break
          }
          return state
        },
        unlock: (pin) => service.unlock(pin),
        lock: () => service.lock('hotkey'),
        signOut: () => service.signOut(),
      },
      cakey: {
        trainingKeys: () => {
          const sim = requireSimulator()
          return sim.keys.map((k) => ({
            id: k.id,
            label: k.label,
            kind: k.kind,
            inserted: sim.simulator.isInserted(k.id),
          }))
        },
        trainingInsert: (id) => {
          const sim = requireSimulator()
          const key = sim.keys.find((k) => k.id === id)
          if (!key) throw new CounterError('CAKEY_TOKEN_NOT_FOUND', { params: { id } })
          // One applicant's key at a time, as at a real window.
          if (key.kind === 'enterprise')
            for (const other of sim.keys)
              if (other.kind === 'enterprise' && other.id !== id) sim.simulator.remove(other.id)
          sim.simulator.insert(id)
          return null
        },
        trainingRemove: (id) => {
          requireSimulator().simulator.remove(id)
          return null
        },
      },
    },
  }
}
