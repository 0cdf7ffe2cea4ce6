import { z } from 'zod'

export const DeviceKindSchema = z.enum(['idcard', 'emrtd', 'cakey', 'camera'])
export type DeviceKind = z.infer<typeof DeviceKindSchema>

export const DeviceStateSchema = z.enum(['ready', 'busy', 'absent', 'unresponsive', 'error'])
export type DeviceState = z.infer<typeof DeviceStateSchema>

export const DeviceStatusSchema = z.object({
  id: z.string(),
  kind: DeviceKindSchema,
  label: z.string(),
  state: DeviceStateSchema,
  simulated: z.boolean(),
  /** Error code when state is error/unresponsive. */
  errorCode: z.string().optional(),
})
export type DeviceStatus = z.infer<typeof DeviceStatusSchema>

export const LibraryStatusSchema = z.object({
  state: z.enum(['online', 'offline', 'unknown']),
  checkedAt: z.string().optional(),
})
export type LibraryStatus = z.infer<typeof LibraryStatusSchema>
