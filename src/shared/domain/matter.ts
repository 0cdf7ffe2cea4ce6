/** Matters (事项) and the licence types each one may look at. */
import { z } from 'zod'

export const HolderKindSchema = z.enum(['person', 'enterprise'])
export type HolderKind = z.infer<typeof HolderKindSchema>

export const LicenceTypeSchema = z.object({
  /** 21 characters: the defining ministry's USCC + 3 digits. */
  code: z.string().regex(/^[0-9A-Z]{21}$/),
  name: z.string(),
  department: z.string(),
  holderKinds: z.array(HolderKindSchema),
})
export type LicenceType = z.infer<typeof LicenceTypeSchema>

export const MatterSchema = z.object({
  code: z.string(),
  name: z.string(),
  department: z.string(),
  /** 用证事由, sent with every query and logged. */
  reasonOfUse: z.string(),
  holderKinds: z.array(HolderKindSchema),
  requiredTypes: z.array(z.string()),
  optionalTypes: z.array(z.string()),
})
export type Matter = z.infer<typeof MatterSchema>

export const MatterCatalogueSchema = z.object({
  version: z.string(),
  licenceTypes: z.array(LicenceTypeSchema),
  matters: z.array(MatterSchema),
})
export type MatterCatalogue = z.infer<typeof MatterCatalogueSchema>

/**
 * A catalogue file signed by the issuing administration: the catalogue, and an SM2-with-SM3
 * signature over its canonical JSON (keys sorted, no spaces) by a key the terminal trusts.
 */
export const SignedCatalogueSchema = z.object({
  catalogue: MatterCatalogueSchema,
  signature: z.object({
    algorithm: z.literal('SM2-SM3'),
    /** Who signed, for the record (e.g. "河南省政务服务事项目录管理员"). */
    signer: z.string().max(200),
    /** The signer's SM2 public key, uncompressed hex (04…): must be one the terminal trusts. */
    publicKey: z.string().regex(/^04[0-9a-fA-F]{128}$/),
    /** Hex r||s (128 hex digits). */
    value: z.string().regex(/^[0-9a-fA-F]{128}$/),
    signedAt: z.string(),
  }),
})
export type SignedCatalogue = z.infer<typeof SignedCatalogueSchema>

/** Where the active catalogue came from, for the status line and the administrators' view. */
export const CatalogueInfoSchema = z.object({
  version: z.string(),
  source: z.enum(['file', 'signed-file', 'library', 'edited', 'stored']),
  /** The file or the library address it was loaded from. */
  origin: z.string(),
  loadedAt: z.string(),
  signer: z.string().optional(),
  editedBy: z.string().optional(),
  matterCount: z.number().int(),
  typeCount: z.number().int(),
})
export type CatalogueInfo = z.infer<typeof CatalogueInfoSchema>
