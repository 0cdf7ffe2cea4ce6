/**
 * Real-name and real-person checks at the window, always for the applicant identified by chip:
 * the UI names nobody, the core takes the holder from the session (as with licence queries), so
 * a check cannot be pointed at anyone else.
 */
import type { TravelDocumentType } from '../../shared/domain'
import { CounterError } from '../../shared/errors'
import type { CoreContext, CoreModule } from '../context'
import { createRealnameClient, type RealnameClient } from './client'
import { loadUnitCredentials } from './credentials'
import type { UnitCredentials } from './signing'

export interface ChipHolderIdentity {
  readonly documentType: TravelDocumentType
  readonly documentNumber: string
  readonly name: string
  readonly birthDate: string
}

export interface RealnameModuleOptions {
  /** The chip holder currently at the window. */
  identity(): ChipHolderIdentity | undefined
  /** Training: starts the simulated platform when no real one is configured. */
  simulator?: () => Promise<{ url: string; credentials: UnitCredentials; close(): Promise<void> }>
}

function jpegBase64(photo: string): string {
  const b64 = photo.replace(/^data:image\/jpeg;base64,/, '')
  const head = Buffer.from(b64.slice(0, 8), 'base64')
  if (head[0] !== 0xff || head[1] !== 0xd8)
    throw new CounterError('REALNAME_PHOTO_INVALID', { params: { reason: '不是 JPEG 图像' } })
  return b64
}

export function createRealnameModule(
  ctx: CoreContext,
  options: RealnameModuleOptions,
): CoreModule<'realname'> {
  const cfg = ctx.config.realname
  const clientOptions = {
    unitCode: ctx.config.terminal.unitCode,
    terminalId: ctx.config.terminal.id,
    logger: ctx.logger.child('realname'),
  }
  let client: RealnameClient | undefined
  let simulator: { close(): Promise<void> } | undefined

  const need = () => {
    if (!client && cfg) {
      // Loaded on first use, so a bad key file shows up as a clear error at the check, not at start.
      client = createRealnameClient({
        ...clientOptions,
        baseUrl: cfg.baseUrl,
        credentials: loadUnitCredentials(cfg.certificate, cfg.privateKey),
        timeoutMs: cfg.timeoutMs,
      })
    }
    if (!client) throw new CounterError('REALNAME_NOT_CONFIGURED')
    if (!ctx.staff.current()) throw new CounterError('AUTH_REQUIRED')
    const who = options.identity()
    if (!who) throw new CounterError('EMRTD_NO_DOCUMENT')
    return { client, who }
  }

  return {
    async start() {
      if (!cfg && options.simulator) {
        const sim = await options.simulator()
        simulator = sim
        client = createRealnameClient({
          ...clientOptions,
          baseUrl: sim.url,
          credentials: sim.credentials,
          timeoutMs: 8000,
        })
      }
    },
    async stop() {
      await simulator?.close()
      simulator = undefined
    },
    handlers: {
      realname: {
        async checkName() {
          const { client, who } = need()
          return client.checkName({
            documentType: who.documentType,
            documentNumber: who.documentNumber,
            name: who.name,
            birthDate: who.birthDate.replace(/-/g, ''),
          })
        },
        async checkPerson(photo) {
          const { client, who } = need()
          return client.checkPerson({
            documentType: who.documentType,
            documentNumber: who.documentNumber,
            name: who.name,
            photo: jpegBase64(photo),
          })
        },
      },
    },
  }
}
