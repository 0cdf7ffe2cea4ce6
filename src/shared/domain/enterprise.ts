/**
 * An enterprise identified at the window by its CA key: the certificate names it (name and
 * unified social credit code, holder type 001). The USCC is public business data, so the screen
 * shows it whole.
 */
import { z } from 'zod'

export const EnterpriseHolderSchema = z.object({
  source: z.literal('cakey'),
  kind: z.literal('enterprise'),
  holderTypeCode: z.string(),
  name: z.string(),
  uscc: z.string(),
  /** False when the code fails its GB 32100 check: a warning, not a rejection. */
  usccCheckOk: z.boolean(),
  certificate: z.object({
    issuer: z.string(),
    serialNumber: z.string(),
    notBefore: z.string(),
    notAfter: z.string(),
  }),
  /** `good`: checked against a current CRL; `stale`: an old CRL (offline); `unchecked`: none. */
  revocation: z.enum(['good', 'stale', 'unchecked']),
  keyLabel: z.string(),
  readAt: z.string(),
})
export type EnterpriseHolder = z.infer<typeof EnterpriseHolderSchema>
