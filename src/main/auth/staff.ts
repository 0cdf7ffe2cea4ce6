/**
 * Who is working the window. Staff sign in with their CA key (see `service.ts`); while the window
 * is locked nobody is "current", so nothing can be queried or issued until the same key unlocks it.
 */
import type {
  LockReason,
  OfflineReason,
  RevocationCheck,
  StaffRole,
} from '../../shared/contract/auth'

export type { StaffRole }

export interface Staff {
  readonly name: string
  /**
   * The citizen ID number the staff certificate names: what the library logs as the clerk's ID.
   * Held in memory only; the logger masks it.
   */
  readonly code: string
  readonly role: StaffRole
  readonly idNumberMasked?: string
  /** The certificate the key proved it holds. */
  readonly certificate?: {
    readonly serialNumber: string
    readonly issuer: string
    /** SHA-256 of the DER: unlocking needs this very certificate. */
    readonly sha256: string
    readonly notAfter: string
  }
  readonly tokenId?: string
  readonly keyLabel?: string
  /** Signed in with the cached roster or a stale CRL. */
  readonly offline?: boolean
  readonly offlineReasons?: readonly OfflineReason[]
  /** How the certificate's revocation was checked; `unchecked` (no CRL) is shown to the clerk. */
  readonly revocation?: RevocationCheck
  readonly signedInAt?: string
}

export class StaffSession {
  private staff: Staff | null
  private locked: LockReason | null = null

  constructor(staff: Staff | null = null) {
    this.staff = staff
  }

  /** Who may act now: null when nobody is signed in or the window is locked. */
  current(): Staff | null {
    return this.locked ? null : this.staff
  }

  /** Who is signed in, locked or not (the lock screen names them). */
  signedIn(): Staff | null {
    return this.staff
  }

  lockReason(): LockReason | null {
    return this.staff ? this.locked : null
  }

  set(staff: Staff): void {
    this.staff = staff
    this.locked = null
  }

  lock(reason: LockReason): boolean {
    if (!this.staff || this.locked) return false
    this.locked = reason
    return true
  }

  unlock(staff: Staff): void {
    this.staff = staff
    this.locked = null
  }

  clear(): void {
    this.staff = null
    this.locked = null
  }
}
