/**
 * The applicant at the window, as the UI sees them. The full identity number never crosses the
 * bridge: the core keeps it in memory for scoped queries, the screen gets the masked form.
 */
import { z } from 'zod'
import { EmrtdHolderSchema } from './document'
import { EnterpriseHolderSchema } from './enterprise'
import type { HolderKind } from './matter'

export const SexSchema = z.enum(['male', 'female', 'unknown', 'unspecified'])
export type Sex = z.infer<typeof SexSchema>

/** `YYYY-MM-DD`, or the card's "长期" (long-term) validity end. */
export const CardDateSchema = z.union([
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  z.literal('long-term'),
])

export const IdCardTypeSchema = z.enum(['resident', 'J', 'I', 'Y'])
export type IdCardType = z.infer<typeof IdCardTypeSchema>

export const IdCardHolderSchema = z.object({
  source: z.literal('idcard'),
  cardType: IdCardTypeSchema,
  holderTypeCode: z.string(),
  name: z.string(),
  englishName: z.string().optional(),
  sex: SexSchema,
  nation: z.string().optional(),
  nationality: z.string().optional(),
  birthDate: z.string(),
  address: z.string().optional(),
  idNumberMasked: z.string(),
  /** False when the number's MOD 11-2 check fails: a warning for the clerk, not a rejection. */
  idNumberCheckOk: z.boolean(),
  authority: z.string().optional(),
  validFrom: z.string(),
  validTo: CardDateSchema,
  expired: z.boolean(),
  passNumber: z.string().optional(),
  issueCount: z.string().optional(),
  /** The nationality code's Chinese name, for foreigner cards (GB/T 2659). */
  nationalityName: z.string().optional(),
  /** The newest address written to the chip after a move (resident cards). */
  appendedAddress: z.string().optional(),
  /** Fingerprint templates on the chip; absent when the reader was not asked for them. */
  fingerprints: z.number().int().min(0).max(2).optional(),
  /** 2017 foreigner card. */
  cardVersion: z.string().optional(),
  /** 2023 foreigner card: the (masked) number of the card it replaced, and how often it was renewed. */
  previousCardNumberMasked: z.string().optional(),
  renewalCount: z.string().optional(),
  /** Only an image the screen can show, or a state that says why there is none. */
  photo: z.discriminatedUnion('state', [
    z.object({
      state: z.literal('decoded'),
      dataUrl: z.string().regex(/^data:image\/(bmp|jpeg|png);base64,[A-Za-z0-9+/]+=*$/),
    }),
    z.object({ state: z.literal('no-decoder') }),
    z.object({ state: z.literal('failed'), reason: z.string() }),
    z.object({ state: z.literal('none') }),
  ]),
  readAt: z.string(),
})
export type IdCardHolder = z.infer<typeof IdCardHolderSchema>

/**
 * A holder typed in by a supervisor when no card, chip or key can identify them (rules art. 21:
 * recorded with the reason and the supervisor, and logged).
 */
/**
 * Holder identity types a supervisor may type in, by kind of holder, the usual one first: 111 and
 * 001 are confirmed; 414 ordinary passport, 516 and 511 residents' permits, 099 other legal-person
 * code are seen in provincial use.
 */
export const MANUAL_HOLDER_TYPES = {
  person: ['111', '414', '516', '511'],
  enterprise: ['001', '099'],
} as const satisfies Record<HolderKind, readonly string[]>

export const ManualHolderSchema = z.object({
  source: z.literal('manual'),
  kind: z.enum(['person', 'enterprise']),
  holderTypeCode: z.string(),
  name: z.string(),
  idNumberMasked: z.string(),
  idNumberCheckOk: z.boolean(),
  reason: z.string(),
  enteredBy: z.string(),
  readAt: z.string(),
})
export type ManualHolder = z.infer<typeof ManualHolderSchema>

export const HolderViewSchema = z.discriminatedUnion('source', [
  IdCardHolderSchema,
  ManualHolderSchema,
  EnterpriseHolderSchema,
  EmrtdHolderSchema,
])
export type HolderView = z.infer<typeof HolderViewSchema>
