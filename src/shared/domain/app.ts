import { z } from 'zod'

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  mode: z.enum(['training', 'production']),
  terminalId: z.string(),
  unitName: z.string(),
  language: z.enum(['zh-CN', 'en']),
})
export type AppInfo = z.infer<typeof AppInfoSchema>

export const TrainingCardSchema = z.object({
  id: z.string(),
  label: z.string(),
  cardType: z.enum(['resident', 'J', 'I', 'Y']),
})
export type TrainingCard = z.infer<typeof TrainingCardSchema>
