/**
 * Rules that follow from the configuration, for every part of the app that needs them (the
 * window, the CLI, the archive): said once here so they cannot drift apart.
 */
import type { Config } from './schema'

/** Statuses (as the library names them) under which a licence may be relied on, by default. */
export const DEFAULT_IN_FORCE_STATUSES: readonly string[] = ['有效', '现势', '延续']

/** The configured in-force statuses; training (no library configured) uses the default. */
export function inForceStatuses(config: Config): readonly string[] {
  return config.library?.inForceStatuses ?? DEFAULT_IN_FORCE_STATUSES
}

/** Whether a matter catalogue given to the terminal must carry a trusted signature. */
export function catalogueMustBeSigned(config: Config): boolean {
  return config.catalogue.requireSignature ?? config.mode === 'production'
}
