/**
 * The composition root: every service is built here, from the configuration alone. The Electron
 * shell, the CLI, the tests and the end-to-end harness all run this same core; none of it
 * imports Electron.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { CounterHandlers, SessionView } from '../shared/api'
import type { LibraryStatus } from '../shared/domain'
import { CounterError } from '../shared/errors'
import { createDispatcher, type Dispatch } from './api'
import { createAuthModule, StaffSession, type AuthControl, type AuthModule } from './auth'
import { assertModeRules, catalogueMustBeSigned, type Config } from './config'
import { openDatabase, type Db } from './db'
import type { CoreContext, CoreModule } from './context'
import { DeviceManager } from './devices'
import { createEmrtdModule } from './devices/emrtd'
import { CoreEvents, type CoreListener } from './events'
import { createArchiveModule, type PrintingPort } from './archive'
import { createAuditModule } from './audit'
import {
  createLibraryClient,
  createLicencesModule,
  createOfdAdapter,
  loadSealRoots,
  loadCatalogue,
  type LibraryClient,
} from './licences'
import { createLogger, type Logger } from './log'
import { createIdCardModule } from './idcard-module'
import type { HidBackend } from './devices/transports'
import { createIssuanceModule, createUnitSeal, type IssuanceModuleOptions } from './issuance'
import { createFontLibrary } from './ofd'
import { createRealnameModule } from './realname'
import { ApplicantSession } from './session'
import { createCalendarService, createSyncModule, deadlinePolicy } from './sync'
import {
  createEmrtdTrainingSim,
  createLicenceFileSource,
  createTrainingSealKit,
  startNiaPlatform,
  startSandboxLibrary,
  trainingRegister,
  type SandboxLibrary,
  type SandboxOptions,
  type TrainingControls,
} from './training'

export interface CoreOptions {
  readonly config: Config
  /** The per-user data folder; `config.dataDir` overrides it. */
  readonly dataDir: string
  /** The app's bundled resources (catalogue, fonts, calendar data). */
  readonly resourcesDir: string
  readonly version: string
  /** The better-sqlite3 addon built for the running runtime, when it is not the package's own. */
  readonly nativeBinding?: string
  readonly logger?: Logger
  /** Options for the in-process sandbox library in training mode. */
  readonly sandbox?: SandboxOptions
  /** The key sealing personal data at rest (the shell's, from safeStorage); else config/env. */
  readonly dataKey?: Uint8Array
  /** Printing for archive copies: the Electron shell's; absent in Node (copies are saved as PDF). */
  readonly printing?: PrintingPort
  /** USB HID access for the ID card reader; node-hid unless a test supplies a simulated device. */
  readonly hidBackend?: HidBackend
}

export interface Core {
  readonly config: Config
  readonly handlers: CounterHandlers
  readonly dispatch: Dispatch
  readonly logger: Logger
  readonly db: Db
  onEvent(listener: CoreListener): () => void
  /** The shell's levers on the sign-in lock: system idle time, the OS locking its screen. */
  readonly auth: AuthControl
  /** Present in training mode: the simulated devices' levers and the sandbox library. */
  readonly training?: { readonly controls: TrainingControls; readonly sandbox?: SandboxLibrary }
  start(): Promise<void>
  stop(): Promise<void>
}

const LIBRARY_PING_MS = 30_000

/**
 * The unit's seal on a CA token: the configured seal file, or in training a seal the training
 * seal maker makes for the simulated unit-seal UKey. What it signs is checked against the app's
 * seal roots plus, in training, the training PKIs.
 */
function unitSealFor(
  config: Config,
  auth: AuthModule,
  resourcesDir: string,
  sealRoots: readonly Uint8Array[],
): Pick<IssuanceModuleOptions, 'unitSeal' | 'sealRoots'> {
  const file = config.issuance.unitSealFile
  const simulated = auth.simulated
  const sealKey = simulated?.keys.find((k) => k.kind === 'seal')
  if (file) {
    return {
      unitSeal: createUnitSeal({
        tokens: auth.keys,
        seal: async () => {
          try {
            return new Uint8Array(await readFile(file))
          } catch (cause) {
            throw new CounterError('ISSUANCE_SIGNER_UNAVAILABLE', {
              params: { reason: '单位印章文件无法读取，请联系管理员重新导入' },
              cause,
            })
          }
        },
      }),
      sealRoots: () => sealRoots,
    }
  }
  if (!simulated || !sealKey) return {}
  const kit = createTrainingSealKit(createFontLibrary({ resourcesDir }))
  let seal: Promise<Uint8Array> | undefined
  return {
    unitSeal: createUnitSeal({
      tokens: auth.keys,
      seal: () =>
        (seal ??= kit.sealFor(
          config.terminal.unitName,
          config.terminal.unitCode,
          sealKey.certificate,
        )),
    }),
    sealRoots: () => [...sealRoots, kit.rootCertificate, simulated.root],
  }
}

export async function createCore(options: CoreOptions): Promise<Core> {
  const { config } = options
  // A configuration built in code skips the file's checks: a simulated device never runs in production.
  assertModeRules(config)
  const dataDir = config.dataDir ?? options.dataDir
  const training = config.mode === 'training'
  const logger =
    options.logger ??
    createLogger({ level: config.log.level, file: join(dataDir, 'logs', 'counterdesk.log') })
  const events = new CoreEvents()
  const cleanups: (() => Promise<void> | void)[] = []

  const db = openDatabase({
    file: join(dataDir, training ? 'training.db' : 'counterdesk.db'),
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  })
  cleanups.push(() => {
    db.close()
  })

  try {
    const catalogue = loadCatalogue({
      file:
        config.catalogue.file ?? join(options.resourcesDir, 'catalogue', 'training-catalogue.json'),
      // The bundled catalogue ships inside the signed installer; a configured file must be signed in production.
      requireSignature: !!config.catalogue.file && catalogueMustBeSigned(config),
      trustedKeys: config.catalogue.trustedKeys,
      db,
      logger: logger.child('catalogue'),
    })

    // The library: the configured one, or in training mode the in-process sandbox.
    const trainingSealRoots: Uint8Array[] = []
    let sandbox: SandboxLibrary | undefined
    let client: LibraryClient
    if (config.library) {
      client = createLibraryClient({
        ...config.library,
        maxFileBytes: config.licences.maxFileMb * 1024 * 1024,
        logger: logger.child('library'),
      })
    } else {
      const licenceFiles = createLicenceFileSource({ resourcesDir: options.resourcesDir })
      trainingSealRoots.push(...licenceFiles.trustAnchors)
      sandbox = await startSandboxLibrary({
        catalogue: catalogue.catalogue(),
        fileFor: licenceFiles.fileFor,
        ...options.sandbox,
      })
      cleanups.push(() => sandbox!.close())
      client = createLibraryClient({
        baseUrl: sandbox.url,
        auth: { kind: 'token', accessId: sandbox.accessId, token: sandbox.token },
        timeoutMs: 8000,
        retries: 1,
        maxFileBytes: config.licences.maxFileMb * 1024 * 1024,
        logger: logger.child('library'),
      })
    }

    let library: LibraryStatus = { state: 'unknown' }
    const setLibrary = (state: LibraryStatus['state']) => {
      if (library.state === state) return
      library = { state, checkedAt: new Date().toISOString() }
      events.emit('library', library)
    }

    const staff = new StaffSession()
    const session = new ApplicantSession(catalogue, (view: SessionView) =>
      events.emit('session', view),
    )

    const devices = new DeviceManager(
      {
        statusChanged: (statuses) => events.emit('devices', statuses),
        notice: (error) =>
          events.emit('notice', { code: error.code, message: error.message, hint: error.hint }),
      },
      logger.child('devices'),
    )

    // The ID card reader: simulated in training, serial or HID in production (idcard-module.ts).
    const idcard = createIdCardModule({
      config,
      logger,
      devices,
      session,
      ...(options.hidBackend ? { hidBackend: options.hidBackend } : {}),
    })
    const trainingControls: TrainingControls | undefined = idcard.training

    const ctx: CoreContext = {
      config,
      training,
      logger,
      db,
      events,
      dataDir,
      resourcesDir: options.resourcesDir,
      devices,
      session,
      staff,
      catalogue,
      library: { client, status: () => library, setStatus: setLibrary },
    }
    // Each domain's module, in start order. Add one with `create<Domain>Module(ctx)` and spread its handlers below.
    const auth = createAuthModule(ctx)
    const exportRoot = config.licences.exportDir ?? join(dataDir, 'exports')
    const audit = createAuditModule(ctx, { exportRoot })
    const sealRoots = [...loadSealRoots(config.licences.sealRoots), ...trainingSealRoots]
    const licences = createLicencesModule(ctx, {
      audit: audit.log,
      exportRoot,
      ofd: createOfdAdapter({
        resourcesDir: options.resourcesDir,
        trust: () => sealRoots,
        // The renderer paints the draw list itself (OfdPageSvg); no raster needed.
        raster: false,
      }),
    })
    const archive = createArchiveModule(ctx, {
      exportRoot,
      audit: audit.log,
      trust: () => sealRoots,
      ...(options.printing ? { printing: options.printing } : {}),
      // Training: copies' QR codes point at the sandbox library, which verifies them.
      ...(sandbox ? { libraryUrl: sandbox.url } : {}),
      // The QR signing key is sealed with the data key the issuance module resolves (below).
      sealer: () => issuance.sealer,
    })
    sandbox?.verifyArchiveCopies(archive.service.verification())
    // Passport and permit chips, and the real-name / real-person checks of their holders.
    const emrtdSim = training ? createEmrtdTrainingSim() : undefined
    const emrtd = createEmrtdModule(ctx, emrtdSim ? { training: emrtdSim } : {})
    const realname = createRealnameModule(ctx, {
      identity: () => emrtd.currentIdentity(),
      ...(training ? { simulator: () => startNiaPlatform({ register: trainingRegister() }) } : {}),
    })
    const calendar = createCalendarService({
      resourcesDir: options.resourcesDir,
      db,
      logger: logger.child('calendar'),
    })
    const issuance = createIssuanceModule(ctx, {
      deadlines: deadlinePolicy(() => calendar.current()),
      ...unitSealFor(config, auth, options.resourcesDir, sealRoots),
      ...(options.dataKey ? { dataKey: options.dataKey } : {}),
      ...(training ? { trainingSealKit: createTrainingSealKit } : {}),
    })
    const sync = createSyncModule(ctx, {
      issuance,
      calendar,
      library:
        config.library ??
        (sandbox && {
          baseUrl: sandbox.url,
          auth: { kind: 'token', accessId: sandbox.accessId, token: sandbox.token },
        }),
    })
    const modules: Pick<CoreModule, 'start' | 'stop'>[] = [
      auth,
      idcard,
      audit,
      licences,
      archive,
      emrtd,
      realname,
      issuance,
      sync,
    ]

    // The training levers answer in training mode only, whatever reader was built.
    const requireTraining = (): TrainingControls => {
      if (!training || !trainingControls) throw new CounterError('NOT_IN_TRAINING')
      return trainingControls
    }

    const foundation: CoreModule<'app' | 'session' | 'matters' | 'training'> = {
      handlers: {
        app: {
          info: () => ({
            name: 'CounterDesk',
            version: options.version,
            mode: config.mode,
            terminalId: config.terminal.id,
            unitName: config.terminal.unitName,
            language: config.language,
          }),
          status: () => ({ devices: devices.statuses(), library }),
        },
        session: {
          current: () => session.view(),
          selectMatter: (code) => session.selectMatter(code),
          next: () => {
            session.clear()
            return null
          },
        },
        matters: {
          list: () => [...catalogue.matters()],
        },
        training: {
          cards: () => requireTraining().cards(),
          placeCard: async (id) => {
            await requireTraining().placeCard(id)
            return null
          },
          removeCard: async () => {
            await requireTraining().removeCard()
            return null
          },
        },
      },
    }
    const handlers: CounterHandlers = {
      ...foundation.handlers,
      ...auth.handlers,
      ...audit.handlers,
      ...licences.handlers,
      ...issuance.handlers,
      ...sync.handlers,
      ...archive.handlers,
      ...emrtd.handlers,
      ...realname.handlers,
    }

    let pingTimer: NodeJS.Timeout | undefined
    const ping = async () => setLibrary((await client.ping()) ? 'online' : 'offline')

    return {
      config,
      handlers,
      dispatch: createDispatcher(handlers, logger.child('api')),
      logger,
      db,
      onEvent: (listener) => events.on(listener),
      auth: auth.control,
      ...(training && trainingControls
        ? { training: { controls: trainingControls, ...(sandbox ? { sandbox } : {}) } }
        : {}),
      async start() {
        logger.info('core starting', {
          mode: config.mode,
          terminal: config.terminal.id,
          catalogue: catalogue.version,
        })
        await devices.start()
        for (const m of modules) await m.start?.()
        await ping()
        pingTimer = setInterval(() => void ping(), LIBRARY_PING_MS)
        pingTimer.unref()
      },
      async stop() {
        clearInterval(pingTimer)
        session.clear()
        for (const m of [...modules].reverse()) await m.stop?.()
        await devices.stop()
        for (const c of cleanups.reverse()) await c()
        logger.info('core stopped')
      },
    }
  } catch (error) {
    for (const c of cleanups.reverse()) await c()
    throw error
  }
}
