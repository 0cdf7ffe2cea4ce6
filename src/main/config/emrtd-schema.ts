/** Configuration of the passport / permit chip reader and of the real-name / real-person service. */
import { z } from 'zod'

export const EmrtdConfigSchema = z
  .object({
    /**
     * `auto`: the simulated reader in training mode, PC/SC in production. `pcsc` with `name`
     * picks the reader whose name contains it (the first reader otherwise).
     */
    reader: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('auto') }).strict(),
        z.object({ kind: z.literal('simulated') }).strict(),
        z.object({ kind: z.literal('pcsc'), name: z.string().min(1).optional() }).strict(),
        z.object({ kind: z.literal('none') }).strict(),
      ])
      .default({ kind: 'auto' }),
    /** `adaptive` reads in the largest blocks chip and reader allow; `fixed` in 223-byte blocks. */
    strategy: z.enum(['adaptive', 'fixed']).default('adaptive'),
    /** Use PACE when the chip offers it (falls back to BAC). */
    pace: z.boolean().default(true),
    chipAuthentication: z.boolean().default(true),
    activeAuthentication: z.boolean().default(true),
  })
  .strict()

export const RealnameConfigSchema = z
  .object({
    /** The exit-entry document identity authentication platform. */
    baseUrl: z.url(),
    /** The unit's certificate (PEM or DER file) registered with the platform. */
    certificate: z.string().min(1),
    /** Its SM2 private key: a file holding 64 hex digits. */
    privateKey: z.string().min(1),
    timeoutMs: z.number().int().min(500).max(60_000).default(10_000),
  })
  .strict()
