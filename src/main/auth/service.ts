/**
 * Staff sign-in, lock and unlock. Everything that can be checked without the PIN is checked
 * first (certificate readable, a person, valid, chained, not revoked, on the roster), so a
 * stranger's or a revoked key never spends a PIN attempt. Then the PIN opens the key, the key
 * signs a fresh challenge, and the signature is verified against the certificate. Only then is
 * anyone signed in. The window locks when that key is pulled out, after the configured idle
 * time, or on the hotkey; only the same certificate and its PIN unlock it.
 */
import type {
  AuthState,
  KeyView,
  LockReason,
  OfflineReason,
  StaffView,
} from '../../shared/contract/auth'
import { CounterError } from '../../shared/errors'
import { maskIdNumber } from '../../shared/ids'
import { shanghaiDate } from '../../shared/time'
import type { CaKeyEvent, CaKeyService, PinStatus, TokenInfo } from '../devices'
import type { Logger } from '../log'
import {
  extractIdentity,
  formatName,
  nameValues,
  parseCertificate,
  type Certificate,
  type HolderIdentity,
  type IdentityMapping,
  type TrustStore,
} from '../pki'
import { createChallenge, signAlgorithmFor, verifyChallenge } from './challenge'
import type { PinGuard } from './pin-guard'
import type { Roster, RosterService } from './roster'
import type { Staff, StaffSession } from './staff'

/** A key's signing certificate and what it says, read without a PIN. */
export interface ReadKey {
  readonly token: TokenInfo
  readonly ref: string
  readonly cert?: Certificate
  readonly identity?: HolderIdentity
  /** Why this certificate cannot identify anyone (unreadable, no identity). */
  readonly problem?: CounterError
}

export interface AuthServiceOptions {
  readonly keys: CaKeyService
  readonly trust: TrustStore
  readonly identity: IdentityMapping
  readonly roster: RosterService
  readonly staff: StaffSession
  readonly pins: PinGuard
  readonly terminalId: string
  readonly idleLockMinutes: number
  readonly logger: Logger
  readonly onState: (state: AuthState) => void
  /** Signing out ends the applicant's service too. */
  readonly onSignedOut?: () => void
  readonly now?: () => Date
}

const asCounterError = (error: unknown): CounterError =>
  error instanceof CounterError ? error : new CounterError('INTERNAL', { cause: error })

/**
 * Attempts left to show for a key that does not count its own (PKCS#11): this terminal's count,
 * capped by what the token's flags say — one after CKF_USER_PIN_FINAL_TRY, and fewer than all
 * after CKF_USER_PIN_COUNT_LOW (a wrong PIN was typed somewhere since the last right one).
 */
export function attemptsShown(here: number, status: PinStatus | undefined, max: number): number {
  if (status?.finalTry) return Math.min(here, 1)
  if (status?.countLow) return Math.min(here, Math.max(1, max - 1))
  return here
}

export class AuthService {
  private busy = false
  private readonly reads = new Map<string, Promise<ReadKey[]>>()

  constructor(private readonly o: AuthServiceOptions) {}

  private now(): Date {
    return this.o.now?.() ?? new Date()
  }

  // -------------------------------------------------------------------------------------------
  // State

  private staffView(s: Staff): StaffView {
    return {
      name: s.name,
      role: s.role,
      idNumberMasked: s.idNumberMasked ?? maskIdNumber(s.code),
      certificate: {
        issuer: s.certificate?.issuer ?? '',
        serialNumber: s.certificate?.serialNumber ?? '',
        notAfter: s.certificate?.notAfter ?? '',
      },
      keyLabel: s.keyLabel ?? '',
      offline: s.offline ?? false,
      offlineReasons: [...(s.offlineReasons ?? [])],
      // Never claim a check that was not made.
      revocation: s.revocation ?? 'unchecked',
      signedInAt: s.signedInAt ?? '',
    }
  }

  state(): AuthState {
    const who = this.o.staff.signedIn()
    const reason = this.o.staff.lockReason()
    return {
      status: !who ? 'signed-out' : reason ? 'locked' : 'signed-in',
      staff: who ? this.staffView(who) : null,
      lockReason: reason,
      idleLockMinutes: this.o.idleLockMinutes,
    }
  }

  private changed(): AuthState {
    const state = this.state()
    this.o.onState(state)
    return state
  }

  // -------------------------------------------------------------------------------------------
  // Keys

  /** The signing certificates on a key and whom they name; cached until the key is pulled out. */
  readKeys(tokenId: string): Promise<ReadKey[]> {
    let pending = this.reads.get(tokenId)
    if (!pending) {
      pending = this.read(tokenId)
      this.reads.set(tokenId, pending)
      pending.catch(() => this.reads.delete(tokenId))
    }
    return pending
  }

  private async read(tokenId: string): Promise<ReadKey[]> {
    const token = this.o.keys.token(tokenId)
    if (!token) throw new CounterError('CAKEY_TOKEN_NOT_FOUND', { params: { id: tokenId } })
    const keys = await this.o.keys.keys(tokenId)
    return keys.map((k) => {
      try {
        const cert = parseCertificate(k.certificate)
        try {
          return { token, ref: k.ref, cert, identity: extractIdentity(cert, this.o.identity) }
        } catch (error) {
          return { token, ref: k.ref, cert, problem: asCounterError(error) }
        }
      } catch (error) {
        return { token, ref: k.ref, problem: asCounterError(error) }
      }
    })
  }

  forgetKey(tokenId: string): void {
    this.reads.delete(tokenId)
  }

  /** What the sign-in screen lists: every key, whose it is, and its PIN state. */
  async keyViews(): Promise<KeyView[]> {
    const roster = await this.o.roster.peek().catch(() => undefined)
    const views: KeyView[] = []
    for (const token of this.o.keys.tokens()) {
      let read: ReadKey | undefined
      try {
        const all = await this.readKeys(token.id)
        read = all.find((r) => r.identity) ?? all[0]
      } catch (error) {
        views.push(this.view(token, undefined, asCounterError(error), null, roster))
        continue
      }
      if (!read) {
        views.push(
          this.view(token, undefined, new CounterError('CAKEY_NO_CERTIFICATE'), null, roster),
        )
        continue
      }
      let pin: KeyView['pin'] = null
      if (read.identity?.kind === 'person' && read.cert) {
        try {
          const status = await this.o.keys.pinStatus(token.id, read.ref)
          const here = this.pinsLeftHere(read.cert)
          const remaining =
            status.remaining ??
            (here === undefined ? undefined : attemptsShown(here, status, this.o.pins.attempts))
          pin = {
            locked: status.locked || remaining === 0,
            ...(remaining !== undefined ? { remaining } : {}),
            ...(status.max !== undefined ? { max: status.max } : {}),
            ...(status.countLow ? { countLow: true } : {}),
          }
        } catch {
          pin = null
        }
      }
      views.push(this.view(token, read, read.problem, pin, roster))
    }
    return views
  }

  private pinsLeftHere(cert: Certificate): number | undefined {
    try {
      return this.o.pins.check(cert.sha256, this.now())
    } catch {
      return 0
    }
  }

  private view(
    token: TokenInfo,
    read: ReadKey | undefined,
    problem: CounterError | undefined,
    pin: KeyView['pin'],
    roster: Roster | undefined,
  ): KeyView {
    const id = read?.identity
    let use: KeyView['use'] = 'unknown'
    let issue = problem
    if (id?.kind === 'enterprise') use = 'enterprise'
    else if (id?.kind === 'person' && read?.cert) {
      if (roster) {
        try {
          this.o.roster.match(roster, id.idNumber!, read.cert.sha256)
          use = 'staff'
        } catch (error) {
          issue ??= asCounterError(error)
        }
      } else use = 'staff'
    }
    const cert = read?.cert
    return {
      tokenId: token.id,
      label: token.label,
      simulated: token.simulated,
      use,
      holder: id
        ? {
            kind: id.kind,
            name: id.name,
            number: id.kind === 'person' ? maskIdNumber(id.idNumber!) : id.uscc!,
            ...(id.organization
              ? { organization: { name: id.organization.name, uscc: id.organization.uscc } }
              : {}),
          }
        : null,
      certificate: cert
        ? {
            issuer: nameValues(cert.issuer, 'CN')[0] ?? formatName(cert.issuer),
            serialNumber: cert.serialNumber,
            notAfter: shanghaiDate(cert.notAfter),
            expired: cert.notAfter.getTime() < this.now().getTime(),
          }
        : null,
      pin,
      problem: issue ? { code: issue.code, message: issue.message, hint: issue.hint } : null,
    }
  }

  // -------------------------------------------------------------------------------------------
  // Sign-in

  private async authenticate(tokenId: string, pin: string, sameAs?: string): Promise<Staff> {
    const token = this.o.keys.token(tokenId)
    if (!token) throw new CounterError('CAKEY_TOKEN_NOT_FOUND', { params: { id: tokenId } })
    const reads = await this.readKeys(tokenId)
    const read = reads.find((r) => r.identity?.kind === 'person') ?? reads.find((r) => r.identity)
    if (!read) throw reads[0]?.problem ?? new CounterError('CAKEY_NO_CERTIFICATE')
    const cert = read.cert!
    const identity = read.identity!
    if (identity.kind !== 'person') throw new CounterError('AUTH_ENTERPRISE_KEY')
    if (sameAs && cert.sha256 !== sameAs) {
      const who = this.o.staff.signedIn()
      throw new CounterError('AUTH_WRONG_KEY', { params: { name: who?.name ?? '' } })
    }

    // Without the PIN: validity, chain, revocation, roster.
    const now = this.now()
    const validation = this.o.trust.validate(cert, now)
    const roster = await this.o.roster.load()
    const entry = this.o.roster.match(roster, identity.idNumber!, cert.sha256)
    const status = await this.o.keys.pinStatus(tokenId, read.ref)
    if (status.locked) throw new CounterError('CAKEY_PIN_LOCKED')
    const counted = status.remaining !== undefined
    if (!counted) this.o.pins.check(cert.sha256, now)

    // With the PIN: open the key, sign the challenge, verify.
    let session
    try {
      session = await this.o.keys.login(tokenId, read.ref, pin)
    } catch (error) {
      if (error instanceof CounterError && error.code === 'CAKEY_PIN_INCORRECT_UNCOUNTED') {
        const left = this.o.pins.fail(cert.sha256, now)
        // The token's flags after this wrong PIN: locked, or one try left, say more than our count.
        const after = await this.o.keys.pinStatus(tokenId, read.ref).catch(() => undefined)
        if (after?.locked) throw new CounterError('CAKEY_PIN_LOCKED')
        if (left === 0)
          throw new CounterError('CAKEY_SOFT_LOCKED', {
            params: { minutes: this.o.pins.lockMinutes },
          })
        throw new CounterError('CAKEY_PIN_INCORRECT', {
          params: { remaining: attemptsShown(left, after, this.o.pins.attempts) },
        })
      }
      throw error
    }
    try {
      this.o.pins.reset(cert.sha256)
      const challenge = createChallenge(this.o.terminalId, this.now())
      const signature = await session.sign({
        keyRef: read.ref,
        algorithm: signAlgorithmFor(cert),
        message: challenge.bytes,
        publicKey: cert.publicKey.key,
      })
      verifyChallenge(challenge, signature, cert, { now: this.now() })
    } finally {
      await session.logout().catch(() => undefined)
    }

    const offlineReasons: OfflineReason[] = []
    if (roster.cached) offlineReasons.push('roster-cached')
    if (validation.revocation === 'stale') offlineReasons.push('crl-stale')
    if (validation.revocation === 'unchecked') offlineReasons.push('crl-missing')
    return {
      name: entry.name || identity.name,
      code: identity.idNumber!,
      role: entry.role,
      idNumberMasked: maskIdNumber(identity.idNumber!),
      certificate: {
        serialNumber: cert.serialNumber,
        issuer: formatName(cert.issuer),
        sha256: cert.sha256,
        notAfter: cert.notAfter.toISOString(),
      },
      tokenId,
      keyLabel: token.label,
      offline: roster.cached || validation.revocation === 'stale',
      offlineReasons,
      revocation: validation.revocation,
      signedInAt: new Date().toISOString(),
    }
  }

  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.busy) throw new CounterError('AUTH_BUSY')
    this.busy = true
    try {
      return await fn()
    } finally {
      this.busy = false
    }
  }

  async signIn(tokenId: string, pin: string): Promise<AuthState> {
    return this.exclusive(async () => {
      const state = this.state()
      if (state.status === 'signed-in') throw new CounterError('AUTH_ALREADY_SIGNED_IN')
      if (state.status === 'locked') throw new CounterError('AUTH_LOCKED')
      try {
        const staff = await this.authenticate(tokenId, pin)
        this.o.staff.set(staff)
        this.o.logger.info('staff signed in', {
          staff: staff.idNumberMasked,
          role: staff.role,
          certificate: staff.certificate?.serialNumber,
          offline: staff.offlineReasons,
          revocation: staff.revocation,
        })
      } catch (error) {
        this.o.logger.info('sign-in refused', { token: tokenId, code: asCounterError(error).code })
        throw error
      }
      return this.changed()
    })
  }

  async unlock(pin: string): Promise<AuthState> {
    return this.exclusive(async () => {
      const who = this.o.staff.signedIn()
      if (!who || this.state().status !== 'locked') throw new CounterError('AUTH_NOT_LOCKED')
      const sha = who.certificate?.sha256
      // The same certificate, wherever the key now sits (it may have been replugged).
      let tokenId: string | undefined
      for (const token of this.o.keys.tokens()) {
        const reads = await this.readKeys(token.id).catch(() => [])
        if (reads.some((r) => r.cert?.sha256 === sha)) tokenId = token.id
      }
      if (!tokenId || !sha) throw new CounterError('AUTH_WRONG_KEY', { params: { name: who.name } })
      const staff = await this.authenticate(tokenId, pin, sha)
      this.o.staff.unlock({ ...staff, signedInAt: who.signedInAt ?? staff.signedInAt })
      this.o.logger.info('window unlocked', { staff: staff.idNumberMasked })
      return this.changed()
    })
  }

  lock(reason: LockReason): AuthState {
    if (this.o.staff.lock(reason)) {
      this.o.logger.info('window locked', { reason })
      return this.changed()
    }
    return this.state()
  }

  signOut(): AuthState {
    const who = this.o.staff.signedIn()
    if (!who) return this.state()
    this.o.staff.clear()
    this.o.onSignedOut?.()
    this.o.logger.info('staff signed out', { staff: who.idNumberMasked })
    return this.changed()
  }

  /** The shell reports how long the system has been idle (Electron powerMonitor). */
  systemIdle(seconds: number): void {
    const limit = this.o.idleLockMinutes * 60
    if (limit > 0 && seconds >= limit && this.state().status === 'signed-in') this.lock('idle')
  }

  onKeyEvent(event: CaKeyEvent): void {
    if (event.type !== 'removed') return
    this.forgetKey(event.token.id)
    const who = this.o.staff.signedIn()
    if (who?.tokenId === event.token.id && this.state().status === 'signed-in')
      this.lock('key-removed')
  }
}
