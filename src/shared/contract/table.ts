import { z } from 'zod'

/** A part of the contract: methods named `<namespace>.<method>`, each with its argument tuple and result. */
export type MethodTable = Record<string, { args: z.ZodTuple; result: z.ZodType }>
/** A part of the contract's events, each with its payload schema. */
export type EventTable = Record<string, z.ZodType>

export const none = z.tuple([])
