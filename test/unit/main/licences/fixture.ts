/**
 * The licence module on a real database, a real sandbox library over loopback HTTP and a real
 * applicant session — without the card reader, so each test places the applicant it needs.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { LibraryStatus } from '../../../../src/shared/domain'
import { createAuditModule, type AuditLog } from '../../../../src/main/audit'
import { StaffSession, type Staff } from '../../../../src/main/auth'
import { trainingConfig, type Config } from '../../../../src/main/config'
import type { CoreContext } from '../../../../src/main/context'
import { openDatabase, type Db } from '../../../../src/main/db'
import { DeviceManager } from '../../../../src/main/devices'
import { CoreEvents } from '../../../../src/main/events'
import {
  createLibraryClient,
  createLicencesModule,
  loadCatalogue,
  manualApplicant,
  type OfdPort,
} from '../../../../src/main/licences'
import { silentLogger } from '../../../../src/main/log'
import { ApplicantSession, type Applicant } from '../../../../src/main/session'
import {
  startSandboxLibrary,
  type SandboxLibrary,
  type SandboxOptions,
} from '../../../../src/main/training'

export const root = resolve(import.meta.dirname, '../../../..')

export const CLERK: Staff = { name: '窗口甲', code: 'CERT-CLERK-01', role: 'clerk' }
export const SUPERVISOR: Staff = { name: '审核乙', code: 'CERT-SUP-01', role: 'supervisor' }
export const ADMIN: Staff = { name: '管理丙', code: 'CERT-ADM-01', role: 'administrator' }

/** A StaffSession whose signed-in person the test can change. */
class SwitchableStaff extends StaffSession {
  who: Staff | null
  constructor(who: Staff | null) {
    super(who)
    this.who = who
  }
  override current(): Staff | null {
    return this.who
  }
}

export interface Fixture {
  readonly ctx: CoreContext
  readonly db: Db
  readonly audit: AuditLog
  readonly sandbox: SandboxLibrary
  readonly exportRoot: string
  readonly staff: SwitchableStaff
  readonly events: { event: string; payload: unknown }[]
  readonly handlers: ReturnType<typeof createLicencesModule>['handlers'] &
    ReturnType<typeof createAuditModule>['handlers']
  /** Puts an applicant at the window (as a card read would) and optionally selects a matter. */
  identify(code: string, matter?: string, typeCode?: string): Applicant
  close(): Promise<void>
}

export async function fixture(
  options: {
    config?: Partial<Config>
    sandbox?: SandboxOptions
    ofd?: OfdPort
    staff?: Staff | null
    now?: () => Date
    client?: { timeoutMs: number; retries: number }
  } = {},
): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'licences-'))
  const config = { ...trainingConfig(), ...options.config }
  const db = openDatabase({ file: join(dir, 'test.db') })
  const sandbox = await startSandboxLibrary(options.sandbox)
  const catalogue = loadCatalogue({
    file: join(root, 'resources/catalogue/training-catalogue.json'),
    requireSignature: false,
    trustedKeys: [],
    db,
    logger: silentLogger,
  })
  const events = new CoreEvents()
  const seen: { event: string; payload: unknown }[] = []
  events.on((event, payload) => seen.push({ event, payload }))
  const session = new ApplicantSession(catalogue, (view) => events.emit('session', view))
  let library: LibraryStatus = { state: 'unknown' }
  const staff = new SwitchableStaff(options.staff === undefined ? { ...CLERK } : options.staff)
  const ctx: CoreContext = {
    config,
    training: config.mode === 'training',
    logger: silentLogger,
    db,
    events,
    dataDir: dir,
    resourcesDir: join(root, 'resources'),
    devices: new DeviceManager({ statusChanged: () => {}, notice: () => {} }, silentLogger),
    session,
    staff,
    catalogue,
    library: {
      client: createLibraryClient({
        baseUrl: sandbox.url,
        auth: { kind: 'token', accessId: sandbox.accessId, token: sandbox.token },
        timeoutMs: options.client?.timeoutMs ?? 2000,
        retries: options.client?.retries ?? 1,
        logger: silentLogger,
      }),
      status: () => library,
      setStatus: (state) => {
        library = { state }
      },
    },
  }
  const exportRoot = join(dir, 'exports')
  const auditModule = createAuditModule(ctx, { exportRoot })
  const licences = createLicencesModule(ctx, {
    audit: auditModule.log,
    exportRoot,
    ...(options.ofd ? { ofd: options.ofd } : {}),
    ...(options.now ? { now: options.now } : {}),
  })
  await licences.start?.()
  return {
    ctx,
    db,
    audit: auditModule.log,
    sandbox,
    exportRoot,
    staff,
    events: seen,
    handlers: { ...licences.handlers, ...auditModule.handlers },
    identify(code, matter, typeCode = code.length === 18 && /^9/.test(code) ? '001' : '111') {
      const applicant = manualApplicant(
        {
          kind: typeCode === '001' ? 'enterprise' : 'person',
          holderTypeCode: typeCode,
          code,
          name: '测试办事人',
          reason: '测试用',
        },
        { name: '测试' },
      )
      session.identify(applicant)
      if (matter) session.selectMatter(matter)
      return applicant
    },
    async close() {
      await licences.stop?.()
      await sandbox.close()
      db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** The error code of a rejected call. */
export async function codeOf(p: unknown): Promise<string> {
  try {
    await p
    return 'resolved'
  } catch (error) {
    return (error as { code?: string }).code ?? 'no-code'
  }
}
