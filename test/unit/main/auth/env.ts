/**
 * An auth service over real parts: a test CA, SM2 keys on the SKF simulator behind the real SKF
 * provider and key service, a trust store and roster on an in-memory database. `startAuthStack`
 * builds the same service over any providers (the system tests' and the bench's real tokens).
 */
import type { AuthState } from '../../../../src/shared/contract/auth'
import {
  AuthService,
  PinGuard,
  RosterService,
  StaffSession,
  type RosterFile,
  type RosterSource,
} from '../../../../src/main/auth'
import { openDatabase, type Db } from '../../../../src/main/db'
import {
  CaKeyService,
  SkfProvider,
  type DeviceReporter,
  type TokenProvider,
} from '../../../../src/main/devices'
import { silentLogger } from '../../../../src/main/log'
import { DEFAULT_IDENTITY_MAPPING, TrustStore, type NameSpecEntry } from '../../../../src/main/pki'
import { SkfSimulator, type SimulatedKey } from '../../../../src/main/training'
import {
  day,
  enterpriseSubject,
  NOW,
  sm2Ca,
  staffSubject,
  usccExtension,
  type Issued,
  type LeafSpec,
  type TestCa,
} from '../../../fixtures/pki/test-pki'

export const LINA = { name: '李娜', id: '410105198806120029' }
export const WANG = { name: '王磊', id: '410102199001204511' }
export const XINYUAN = { name: '郑州市金水区鑫源餐饮管理有限公司', uscc: '91410105MA44K7QX15' }

export interface KeySpec {
  readonly id: string
  readonly subject?: NameSpecEntry[]
  readonly leaf?: Partial<LeafSpec>
  /** Put a certificate on the key that does not match its private key. */
  readonly mismatched?: boolean
  /** Raw bytes as the certificate (garbage). */
  readonly garbage?: Uint8Array
  readonly ca?: TestCa
}

export interface Env {
  readonly ca: TestCa
  readonly sim: SkfSimulator
  readonly keys: CaKeyService
  readonly service: AuthService
  readonly staff: StaffSession
  readonly trust: TrustStore
  readonly db: Db
  readonly roster: RosterService
  readonly issued: Record<string, Issued>
  readonly states: AuthState[]
  readonly signedOut: { count: number }
  insert(id: string): Promise<void>
  remove(id: string): Promise<void>
  close(): Promise<void>
}

export async function authEnv(
  options: {
    keys?: KeySpec[]
    roster?: RosterFile
    now?: () => Date
    ca?: TestCa
    /** `fresh` (default), `stale` (past its next update, as on an office offline for days) or none. */
    crl?: 'fresh' | 'stale' | 'none'
    /** Refuse certificates whose CA has no CRL here (`pki.requireCrl`). */
    requireCrl?: boolean
    /** Where the roster comes from, instead of the built-in one. */
    rosterSource?: RosterSource
  } = {},
): Promise<Env> {
  const ca = options.ca ?? sm2Ca()
  const specs: KeySpec[] = options.keys ?? [
    { id: 'lina', subject: staffSubject(LINA.name, LINA.id) },
    { id: 'wang', subject: staffSubject(WANG.name, WANG.id) },
    {
      id: 'xinyuan',
      subject: enterpriseSubject(XINYUAN.name),
      leaf: { extensions: [usccExtension(XINYUAN.uscc)] },
    },
  ]
  const issued: Record<string, Issued> = {}
  const simKeys: SimulatedKey[] = specs.map((spec) => {
    const issuer = spec.ca ?? ca
    const leaf = issuer.issue({ subject: spec.subject ?? [['CN', spec.id]], ...spec.leaf })
    issued[spec.id] = leaf
    const other = spec.mismatched ? issuer.issue({ subject: [['CN', 'other']] }) : undefined
    return {
      id: spec.id,
      label: `${spec.id} 的证书`,
      serial: `SN-${spec.id}`,
      application: 'APP',
      container: 'SIGN',
      pin: '123456',
      maxRetries: 3,
      privateKey: (other ?? leaf).sm2!.privateKey,
      publicKey: (other ?? leaf).sm2!.publicKey,
      certificate: spec.garbage ?? leaf.der,
    }
  })
  const sim = new SkfSimulator(simKeys)
  const states: AuthState[] = []
  const signedOut = { count: 0 }
  const stack = await startAuthStack({
    providers: [new SkfProvider({ id: 'sim', label: 'sim', simulated: true, load: () => sim })],
    ca,
    crl:
      options.crl === 'none'
        ? undefined
        : options.crl === 'stale'
          ? ca.crl([], {
              thisUpdate: new Date(NOW.getTime() - 10 * day),
              nextUpdate: new Date(NOW.getTime() - 3 * day),
            })
          : ca.crl([]),
    requireCrl: options.requireCrl ?? false,
    roster: options.rosterSource ?? {
      timeoutMs: 1000,
      builtIn: options.roster ?? {
        version: 't1',
        staff: [
          { name: LINA.name, idNumber: LINA.id, role: 'clerk' },
          { name: WANG.name, idNumber: WANG.id, role: 'supervisor' },
        ],
      },
    },
    pinAttempts: 3,
    terminalId: 'TEST-01',
    onState: (s) => states.push(s),
    onSignedOut: () => signedOut.count++,
    now: options.now ?? (() => NOW),
  })
  const { keys } = stack
  /** Waits until the key service has seen the key come or go (generous: the machine is shared). */
  const settle = async (id: string, present: boolean) => {
    for (let i = 0; i < 500; i++) {
      if (!!keys.token(`sim/${id}`) === present) return
      await new Promise((r) => setTimeout(r, 10))
    }
    throw new Error(`key ${id} never ${present ? 'appeared' : 'went away'}`)
  }
  return {
    ...stack,
    ca,
    sim,
    issued,
    states,
    signedOut,
    async insert(id) {
      sim.insert(id)
      await settle(id, true)
    },
    async remove(id) {
      sim.remove(id)
      await settle(id, false)
      // The lock follows the removal event synchronously; give listeners a tick.
      await new Promise((r) => setTimeout(r, 0))
    },
  }
}

export interface AuthStackOptions {
  readonly providers: readonly TokenProvider[]
  /** The one trusted root. */
  readonly ca: TestCa
  /** A CRL to import (DER); none when undefined. */
  readonly crl?: Uint8Array | undefined
  /** Refuse certificates whose CA has no CRL here (`pki.requireCrl`). */
  readonly requireCrl?: boolean
  readonly roster: RosterSource
  /** Wrong PINs this terminal allows for keys that do not count their own. */
  readonly pinAttempts: number
  readonly terminalId: string
  readonly onState?: (state: AuthState) => void
  readonly onSignedOut?: () => void
  readonly now?: () => Date
}

export interface AuthStack {
  readonly keys: CaKeyService
  readonly service: AuthService
  readonly staff: StaffSession
  readonly trust: TrustStore
  readonly db: Db
  readonly roster: RosterService
  close(): Promise<void>
}

/**
 * The auth service as the core builds it, over the given key providers (simulated, the SKF test
 * library or SoftHSM2): their drivers started, trust, roster and PIN counts on an in-memory
 * database, and key removals reaching the service.
 */
export async function startAuthStack(o: AuthStackOptions): Promise<AuthStack> {
  const keys = new CaKeyService(o.providers, silentLogger)
  const reporter: DeviceReporter = { state: () => undefined, notice: () => undefined }
  const running = await Promise.all(keys.drivers().map((d) => d.start(reporter)))
  const db = openDatabase({ file: ':memory:' })
  const trust = new TrustStore({
    roots: [o.ca.cert],
    db,
    ...(o.requireCrl ? { policy: { requireCrl: true, staleGraceDays: 30 } } : {}),
  })
  if (o.crl) trust.importCrl(o.crl, 'test')
  const roster = new RosterService(db, o.roster, silentLogger)
  const staff = new StaffSession()
  const service = new AuthService({
    keys,
    trust,
    identity: DEFAULT_IDENTITY_MAPPING,
    roster,
    staff,
    pins: new PinGuard(db, o.pinAttempts, 30),
    terminalId: o.terminalId,
    idleLockMinutes: 10,
    logger: silentLogger,
    onState: o.onState ?? (() => undefined),
    ...(o.onSignedOut ? { onSignedOut: o.onSignedOut } : {}),
    ...(o.now ? { now: o.now } : {}),
  })
  keys.on((e) => service.onKeyEvent(e))
  return {
    keys,
    service,
    staff,
    trust,
    db,
    roster,
    async close() {
      await Promise.all(running.map((r) => r.stop()))
      db.close()
    },
  }
}

/** The error code a promise rejects with. */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (error) {
    return (error as { code?: string }).code ?? String(error)
  }
  return 'resolved'
}
