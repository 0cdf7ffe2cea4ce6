/**
 * Configuration for CA keys, certificates and staff sign-in: the `cakey`, `pki` and `auth`
 * sections. Kept beside schema.ts so the three sections read as one piece.
 */
import { z } from 'zod'

/** A GM/T 0006 algorithm id: a number or a hex string such as `0x00020100`. */
const AlgorithmId = z.union([
  z.number().int().min(0).max(0xffffffff),
  z
    .string()
    .regex(/^0x[0-9a-fA-F]{1,8}$/, '应为 0x 开头的十六进制算法标识')
    .transform((v) => Number.parseInt(v.slice(2), 16)),
])

const ProviderId = z.string().regex(/^[a-z0-9-]{1,24}$/, '只能包含小写字母、数字和连字符')

export const SkfProviderSchema = z
  .object({
    kind: z.literal('skf'),
    id: ProviderId.optional(),
    /** What the status bar calls it, e.g. the CA's name. */
    label: z.string().min(1).default('SKF'),
    /** The vendor's SKF DLL/so. */
    library: z.string().min(1),
    /** Algorithm ids as this vendor's header defines them. */
    algorithms: z
      .object({
        sm2Sign: AlgorithmId.default(0x00020100),
        sm3: AlgorithmId.default(0x00000001),
      })
      .strict()
      .prefault({}),
    /** Compute e = SM3(Z‖M) on the key (SKF_DigestInit) rather than in software. */
    digestOnToken: z.boolean().default(false),
    /** `wait`: SKF_WaitForDevEvent (falls back to polling when unsupported); `poll`: SKF_EnumDev. */
    events: z.enum(['wait', 'poll']).default('wait'),
    /** Whether the vendor header packs structures (`#pragma pack(1)`), as nearly all do. */
    packedStructs: z.boolean().default(true),
    /** Force __stdcall; by default it is used on 32-bit Windows only. */
    stdcall: z.boolean().optional(),
    /** The SM2 signer ID (GM/T 0009's default unless the CA says otherwise). */
    signerId: z.string().min(1).max(64).default('1234567812345678'),
  })
  .strict()

export const Pkcs11ProviderSchema = z
  .object({
    kind: z.literal('pkcs11'),
    id: ProviderId.optional(),
    label: z.string().min(1).default('PKCS#11'),
    /** The module (.so / .dll). */
    module: z.string().min(1),
    /** A vendor mechanism that signs an SM2 digest; without one SM2 keys need SKF. */
    sm2Mechanism: AlgorithmId.optional(),
  })
  .strict()

export const CakeySchema = z
  .object({
    /** The CA-key libraries to use; training mode uses the simulated keys when this is empty. */
    providers: z
      .array(
        z.discriminatedUnion('kind', [
          SkfProviderSchema,
          Pkcs11ProviderSchema,
          z.object({ kind: z.literal('simulated') }).strict(),
        ]),
      )
      .default([]),
    /** How often to look for inserted / removed keys when polling, ms. */
    pollIntervalMs: z.number().int().min(200).max(10_000).default(1000),
  })
  .strict()

export const IdentityRuleSchema = z
  .object({
    from: z.enum(['subject', 'extension', 'san']),
    /** Attribute name (CN, OU, serialNumber, …) or OID; extension OID; otherName OID. */
    field: z.string().min(1),
    kind: z.enum(['person', 'enterprise', 'auto']).default('auto'),
    /** A regular expression whose `id` group is the number. */
    pattern: z
      .string()
      .refine((p) => {
        try {
          new RegExp(p, 'u')
          return true
        } catch {
          return false
        }
      }, '不是有效的正则表达式')
      .optional(),
  })
  .strict()

export const PkiSchema = z
  .object({
    /** Trusted CA root certificates (PEM or DER files; a PEM file may hold several). */
    roots: z.array(z.string().min(1)).default([]),
    /** Intermediate CA certificates, when the keys do not carry them. */
    intermediates: z.array(z.string().min(1)).default([]),
    /** A folder an administrator fills with CA CRL files (imported at start and every few minutes). */
    crlDir: z.string().optional(),
    /** Refuse certificates whose CA has no CRL on this terminal. */
    requireCrl: z.boolean().default(false),
    /** How long past its next update a CRL may still be used offline, days. */
    staleCrlGraceDays: z.number().int().min(0).max(365).default(30),
    clockSkewSeconds: z.number().int().min(0).max(3600).default(300),
    /** Where certificates put the holder's number; the defaults cover the common encodings. */
    identity: z
      .object({
        rules: z.array(IdentityRuleSchema).min(1).optional(),
        personName: z.array(z.string().min(1)).min(1).default(['CN', 'GN']),
        enterpriseName: z.array(z.string().min(1)).min(1).default(['O', 'CN']),
        /** Where a person's certificate names their organisation (an employee's certificate). */
        organizationName: z.array(z.string().min(1)).min(1).default(['O', 'OU']),
        /** A certificate with both a citizen ID and a USCC names the person (default) or the enterprise. */
        whenBoth: z.enum(['person', 'enterprise']).default('person'),
      })
      .strict()
      .prefault({}),
  })
  .strict()

export const AuthSchema = z
  .object({
    /** Training only: sign the trainee in with the simulated staff key at start. */
    autoSignIn: z.boolean().default(true),
    roster: z
      .object({
        /** A roster file (JSON) an administrator maintains. */
        file: z.string().optional(),
        /** Or a URL serving it (the unit's management server); the last copy is cached for offline sign-in. */
        url: z.url().optional(),
        timeoutMs: z.number().int().min(200).max(30_000).default(3000),
      })
      .strict()
      .prefault({}),
    /** Minutes without keyboard or mouse before the window locks; 0 never. */
    idleLockMinutes: z.number().int().min(0).max(240).default(10),
    /** Wrong PINs allowed at this terminal for keys that do not count their own (many PKCS#11 modules). */
    pinAttempts: z.number().int().min(1).max(20).default(5),
    /** How long such a key stays refused after that, minutes. */
    pinLockMinutes: z.number().int().min(1).max(1440).default(30),
    /** Identify the applicant when an enterprise CA key is inserted. */
    enterpriseApplicants: z.boolean().default(true),
  })
  .strict()

export type CakeyConfig = z.output<typeof CakeySchema>
export type PkiConfig = z.output<typeof PkiSchema>
export type AuthConfig = z.output<typeof AuthSchema>
