/**
 * The foundation's part of the contract: the app, the applicant session, the matter catalogue,
 * licence listing and the training panel. Each domain keeps its own part beside this one.
 */
import { z } from 'zod'
import {
  AppInfoSchema,
  DeviceStatusSchema,
  HolderViewSchema,
  LibraryStatusSchema,
  MatterSchema,
  TrainingCardSchema,
} from '../domain'
import { none, type EventTable, type MethodTable } from './table'

export const SessionViewSchema = z.object({
  holder: HolderViewSchema.nullable(),
  matterCode: z.string().nullable(),
})
export type SessionView = z.infer<typeof SessionViewSchema>

export const AppStatusSchema = z.object({
  devices: z.array(DeviceStatusSchema),
  library: LibraryStatusSchema,
})
export type AppStatus = z.infer<typeof AppStatusSchema>

const MatterCodeSchema = z.string().min(1).max(64)

export const coreMethods = {
  /** Name, version, mode (training or production) and the terminal. */
  'app.info': { args: none, result: AppInfoSchema },
  /** Device and library status, for the status bar on start; then follow the events. */
  'app.status': { args: none, result: AppStatusSchema },

  /** The applicant currently at the window, if any. */
  'session.current': { args: none, result: SessionViewSchema },
  /** Choose the matter being handled for the current applicant. */
  'session.selectMatter': { args: z.tuple([MatterCodeSchema]), result: SessionViewSchema },
  /** "下一位": forget everything about the current applicant. */
  'session.next': { args: none, result: z.null() },

  /** The matter catalogue (事项目录). */
  'matters.list': { args: none, result: z.array(MatterSchema) },

  /** Training mode only: the simulated cards, and placing / lifting one on the simulated reader. */
  'training.cards': { args: none, result: z.array(TrainingCardSchema) },
  'training.placeCard': { args: z.tuple([z.string().min(1).max(64)]), result: z.null() },
  'training.removeCard': { args: none, result: z.null() },
} as const satisfies MethodTable

export const coreEvents = {
  /** Every device's state, whenever any changes. */
  devices: z.array(DeviceStatusSchema),
  /** The library's reachability. */
  library: LibraryStatusSchema,
  /** A new applicant was identified (a card read once per placement), or null when cleared. */
  session: SessionViewSchema,
  /** A background failure the clerk must see (a reader error, a failed read). */
  notice: z.object({ code: z.string(), message: z.string(), hint: z.string() }),
} as const satisfies EventTable
