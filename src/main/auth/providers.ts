/**
 * The configured CA-key libraries as providers; training mode (and an explicit `simulated`
 * entry) gets the training simulator behind the same SKF provider code.
 */
import type { Config } from '../config'
import { Pkcs11Provider, SkfProvider, loadSkfLibrary, type TokenProvider } from '../devices'
import type { Logger } from '../log'
import type { SkfSimulator } from '../training'

export interface ProviderOptions {
  readonly training: boolean
  readonly logger: Logger
  /** The simulator behind `simulated` providers. */
  readonly simulator?: () => SkfSimulator
}

export const SIMULATED_PROVIDER_ID = 'sim'

export function createProviders(config: Config, options: ProviderOptions): TokenProvider[] {
  const entries =
    config.cakey.providers.length === 0 && options.training
      ? [{ kind: 'simulated' as const }]
      : config.cakey.providers
  const used = new Set<string>()
  const idFor = (wanted: string | undefined, base: string) => {
    let id = wanted ?? base
    for (let i = 2; used.has(id); i++) id = `${wanted ?? base}-${i}`
    used.add(id)
    return id
  }
  return entries.map((entry): TokenProvider => {
    const logger = options.logger.child('cakey')
    switch (entry.kind) {
      case 'simulated': {
        const sim = options.simulator
        if (!sim) throw new Error('no simulator for a simulated CA-key provider')
        return new SkfProvider({
          id: idFor(SIMULATED_PROVIDER_ID, SIMULATED_PROVIDER_ID),
          label: '模拟',
          simulated: true,
          load: () => sim(),
          events: 'wait',
          logger,
        })
      }
      case 'skf':
        return new SkfProvider({
          id: idFor(entry.id, 'skf'),
          label: entry.label,
          load: () =>
            loadSkfLibrary({
              library: entry.library,
              packedStructs: entry.packedStructs,
              ...(entry.stdcall !== undefined ? { stdcall: entry.stdcall } : {}),
            }),
          algorithms: entry.algorithms,
          digestOnToken: entry.digestOnToken,
          events: entry.events,
          pollIntervalMs: config.cakey.pollIntervalMs,
          signerId: entry.signerId,
          logger,
        })
      case 'pkcs11':
        return new Pkcs11Provider({
          id: idFor(entry.id, 'pkcs11'),
          label: entry.label,
          module: entry.module,
          pollIntervalMs: config.cakey.pollIntervalMs,
          ...(entry.sm2Mechanism !== undefined ? { sm2Mechanism: entry.sm2Mechanism } : {}),
          logger,
        })
    }
  })
}
