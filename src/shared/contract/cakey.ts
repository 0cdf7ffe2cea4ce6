/** Training mode's CA-key levers: insert and pull out the simulated keys. */
import { z } from 'zod'
import { none, type MethodTable } from './table'

export const TrainingKeySchema = z.object({
  id: z.string(),
  label: z.string(),
  kind: z.enum(['staff', 'enterprise', 'seal']),
  inserted: z.boolean(),
})
export type TrainingKey = z.infer<typeof TrainingKeySchema>

const KeyIdSchema = z.string().min(1).max(64)

export const cakeyMethods = {
  /** Training mode only: the simulated CA keys and whether each is in. */
  'cakey.trainingKeys': { args: none, result: z.array(TrainingKeySchema) },
  'cakey.trainingInsert': { args: z.tuple([KeyIdSchema]), result: z.null() },
  'cakey.trainingRemove': { args: z.tuple([KeyIdSchema]), result: z.null() },
} as const satisfies MethodTable
