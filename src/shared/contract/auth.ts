/**
 * Staff sign-in with a CA key, the lock screen, and the CA keys the terminal can see. A PIN
 * crosses the bridge once, straight to the token; it is never stored or logged.
 */
import { z } from 'zod'
import { none, type EventTable, type MethodTable } from './table'

export const StaffRoleSchema = z.enum(['clerk', 'supervisor', 'administrator'])
export type StaffRole = z.infer<typeof StaffRoleSchema>

/** Why a sign-in counts as offline: the roster or the CRL came from this terminal's cache. */
export const OfflineReasonSchema = z.enum(['roster-cached', 'crl-stale', 'crl-missing'])
export type OfflineReason = z.infer<typeof OfflineReasonSchema>

/**
 * Revocation of the staff certificate at sign-in: `good` against a current CRL, `stale` against
 * one past its next update (offline), `unchecked` when this terminal has no CRL for its CA — then
 * nobody knows whether it was revoked, and the clerk is told so (`pki.requireCrl` refuses instead).
 */
export const RevocationCheckSchema = z.enum(['good', 'stale', 'unchecked'])
export type RevocationCheck = z.infer<typeof RevocationCheckSchema>

export const StaffViewSchema = z.object({
  name: z.string(),
  role: StaffRoleSchema,
  idNumberMasked: z.string(),
  certificate: z.object({
    issuer: z.string(),
    serialNumber: z.string(),
    notAfter: z.string(),
  }),
  keyLabel: z.string(),
  offline: z.boolean(),
  offlineReasons: z.array(OfflineReasonSchema),
  revocation: RevocationCheckSchema,
  signedInAt: z.string(),
})
export type StaffView = z.infer<typeof StaffViewSchema>

export const LockReasonSchema = z.enum(['key-removed', 'idle', 'hotkey', 'system'])
export type LockReason = z.infer<typeof LockReasonSchema>

export const AuthStateSchema = z.object({
  status: z.enum(['signed-out', 'signed-in', 'locked']),
  /** Who is signed in (also while locked, so the lock screen can say whose key unlocks it). */
  staff: StaffViewSchema.nullable(),
  lockReason: LockReasonSchema.nullable(),
  /** Minutes without input before the window locks; 0 when it never does. */
  idleLockMinutes: z.number(),
})
export type AuthState = z.infer<typeof AuthStateSchema>

export const KeyHolderSchema = z.object({
  kind: z.enum(['person', 'enterprise']),
  name: z.string(),
  /** Masked citizen ID for a person; the USCC (public) for an enterprise. */
  number: z.string(),
  /** A person's certificate that also names their organisation (an employee's certificate). */
  organization: z.object({ name: z.string(), uscc: z.string() }).optional(),
})

/** A CA key in the terminal and what it holds, read without a PIN. */
export const KeyViewSchema = z.object({
  tokenId: z.string(),
  label: z.string(),
  simulated: z.boolean(),
  use: z.enum(['staff', 'enterprise', 'unknown']),
  holder: KeyHolderSchema.nullable(),
  certificate: z
    .object({
      issuer: z.string(),
      serialNumber: z.string(),
      notAfter: z.string(),
      expired: z.boolean(),
    })
    .nullable(),
  pin: z
    .object({
      locked: z.boolean(),
      remaining: z.number().optional(),
      max: z.number().optional(),
      /** The key says a wrong PIN was typed since the last right one (maybe elsewhere). */
      countLow: z.boolean().optional(),
    })
    .nullable(),
  /** Why this key cannot be used, when it cannot (unreadable certificate, no identity, …). */
  problem: z.object({ code: z.string(), message: z.string(), hint: z.string() }).nullable(),
})
export type KeyView = z.infer<typeof KeyViewSchema>

const TokenIdSchema = z.string().min(1).max(300)
const PinSchema = z.string().min(1).max(64)

export const authMethods = {
  /** Signed in, signed out or locked, and who. */
  'auth.state': { args: none, result: AuthStateSchema },
  /** The CA keys in the terminal and whose they are (no PIN needed). */
  'auth.keys': { args: none, result: z.array(KeyViewSchema) },
  /** Signs in with the staff key: the PIN opens the key, which signs a fresh challenge. */
  'auth.signIn': { args: z.tuple([TokenIdSchema, PinSchema]), result: AuthStateSchema },
  /** Unlocks with the same key and its PIN. */
  'auth.unlock': { args: z.tuple([PinSchema]), result: AuthStateSchema },
  /** Locks the window now (the hotkey). */
  'auth.lock': { args: none, result: AuthStateSchema },
  /** Signs out; the applicant being served is forgotten too. */
  'auth.signOut': { args: none, result: AuthStateSchema },
} as const satisfies MethodTable

export const authEvents = {
  /** The sign-in state, whenever it changes (sign-in, lock, unlock, sign-out). */
  auth: AuthStateSchema,
  /** The CA keys, whenever one is inserted or removed. */
  cakeys: z.array(KeyViewSchema),
} as const satisfies EventTable
