/**
 * Reading a chip end to end: access control (PACE from EF.CardAccess, falling back to BAC),
 * the LDS files the chip lists in EF.COM, Chip Authentication from DG14 (restarting secure
 * messaging) and Active Authentication from DG15. Verification against the trust store is a
 * separate, pure step (`verify.ts`), so a read can be stored raw and checked again later.
 */
import { CounterError } from '../../../shared/errors'
import { performActiveAuthentication, type ActiveAuthenticationResult } from './aa'
import { SW, swHex } from './apdu'
import { bacKeys, performBac } from './bac'
import { chooseChipAuthentication, performChipAuthentication } from './ca'
import { ApduChannel, type CardTransport, type ChannelObserver } from './channel'
import { FileReader, type FileProgress, type ReadStrategy } from './file-reader'
import { EF_CARD_ACCESS_SFI, EMRTD_AID, ldsFile, ldsFileByDg, type LdsFileName } from './lds/files'
import { parseCom, parseDg14, parseDg15 } from './lds/parse'
import { canPassword, mrzPassword, performPace } from './pace'
import {
  parseCardAccess,
  type ActiveAuthenticationInfo,
  type PaceInfo,
  type SecurityInfo,
} from './security-infos'

export type AccessKey =
  | { readonly kind: 'mrz'; readonly mrzInfo: string }
  | { readonly kind: 'can'; readonly can: string }

export interface ReadProgress {
  readonly phase: 'access' | 'reading' | 'authenticating'
  readonly file?: string
  readonly fileIndex: number
  readonly fileCount: number
  readonly offset?: number
  readonly length?: number | undefined
}

export interface ReadChipOptions {
  readonly key: AccessKey
  readonly strategy?: ReadStrategy
  /** Try PACE when EF.CardAccess offers it (default true). */
  readonly pace?: boolean
  readonly chipAuthentication?: boolean
  readonly activeAuthentication?: boolean
  /** Whether to try extended length (default: what the ATR and reader say, else try once). */
  readonly extendedLength?: boolean | undefined
  readonly signal?: AbortSignal
  readonly observer?: ChannelObserver
  readonly onProgress?: (p: ReadProgress) => void
}

export type ChipAuthenticationResult =
  | { readonly state: 'passed'; readonly protocol: string }
  | { readonly state: 'failed'; readonly protocol: string; readonly reason: string }
  | { readonly state: 'not-supported' }

export interface ChipRead {
  readonly accessControl: 'BAC' | 'PACE'
  /** Why PACE was not used although offered (the BAC fallback), for the log. */
  readonly paceFallback: string | undefined
  readonly cardAccess: Uint8Array | undefined
  readonly files: ReadonlyMap<LdsFileName, Uint8Array>
  readonly chipAuthentication: ChipAuthenticationResult
  readonly activeAuthentication: ActiveAuthenticationResult
  readonly apduCount: number
  readonly bytesTransferred: number
  readonly extendedLength: boolean
}

/** Files read by default: everything but the biometrics that need Terminal Authentication. */
const SKIP = new Set<LdsFileName>(['DG3', 'DG4'])
const FALLBACK_FILES: LdsFileName[] = ['DG1', 'DG2', 'DG11', 'DG12', 'DG14', 'DG15']

function status(command: string, sw: number): CounterError {
  return new CounterError('EMRTD_CARD_STATUS', { params: { command, sw: swHex(sw) } })
}

async function selectApplet(channel: ApduChannel): Promise<void> {
  const r = await channel.send({ cla: 0, ins: 0xa4, p1: 0x04, p2: 0x0c, data: EMRTD_AID })
  if (
    r.sw === SW.FILE_NOT_FOUND ||
    r.sw === SW.WRONG_P1P2 ||
    r.sw === SW.INS_NOT_SUPPORTED ||
    r.sw === SW.CLA_NOT_SUPPORTED
  )
    throw new CounterError('EMRTD_NOT_EMRTD', { detail: `SELECT AID ${swHex(r.sw)}` })
  if (r.sw !== SW.OK) throw status('SELECT eMRTD', r.sw)
}

async function readCardAccess(channel: ApduChannel): Promise<Uint8Array | undefined> {
  const r = await channel.send({ cla: 0, ins: 0xb0, p1: 0x80 | EF_CARD_ACCESS_SFI, p2: 0, ne: 256 })
  if (r.sw !== SW.OK && r.sw !== SW.END_OF_FILE) return undefined
  return r.data.length > 0 ? r.data : undefined
}

function choosePace(infos: readonly SecurityInfo[]): PaceInfo | undefined {
  const usable = (i: SecurityInfo): i is PaceInfo =>
    i.kind === 'pace' &&
    i.parameterId !== undefined &&
    (i.mapping === 'GM' || (i.mapping === 'IM' && i.cipher === 'AES-128'))
  // Prefer ECDH, the generic mapping and AES: what Doc 9303 recommends and chips do fastest.
  const rank = (i: PaceInfo) =>
    (i.agreement === 'ECDH' ? 0 : 4) + (i.mapping === 'GM' ? 0 : 2) + (i.cipher === '3DES' ? 1 : 0)
  return infos.filter(usable).sort((a, b) => rank(a) - rank(b))[0]
}

/**
 * Chip Authentication, then one protected command under the new keys: only a chip holding the
 * DG14 private key can answer it with a correct MAC. The proof is taken here, before any retry
 * logic could mistake a cloned chip for a disturbed link.
 */
async function chipAuthenticate(
  channel: ApduChannel,
  ca: NonNullable<ReturnType<typeof chooseChipAuthentication>>,
): Promise<ChipAuthenticationResult> {
  const protocol = ca.info.cipher === '3DES' ? 'CA-3DES' : `CA-${ca.info.cipher}`
  try {
    await performChipAuthentication(channel, ca.info, ca.key)
    const r = await channel.send({
      cla: 0,
      ins: 0xa4,
      p1: 0x02,
      p2: 0x0c,
      data: Uint8Array.of(0x01, 0x1e),
    })
    if (r.sw !== SW.OK || channel.sessionLost)
      return { state: 'failed', protocol, reason: `sw-${swHex(r.sw)}` }
    return { state: 'passed', protocol }
  } catch (error) {
    if (error instanceof CounterError && error.code === 'EMRTD_CARD_REMOVED') throw error
    return {
      state: 'failed',
      protocol,
      reason: error instanceof CounterError ? error.code : 'error',
    }
  }
}

export async function readChip(
  transport: CardTransport,
  options: ReadChipOptions,
): Promise<ChipRead> {
  const channel = new ApduChannel(transport, options.signal, options.observer)
  const key = options.key
  let cardAccess: Uint8Array | undefined
  let paceInfo: PaceInfo | undefined
  let paceFallback: string | undefined
  const report = (p: ReadProgress) => options.onProgress?.(p)

  report({ phase: 'access', fileIndex: 0, fileCount: 0 })
  if (options.pace !== false) {
    cardAccess = await readCardAccess(channel)
    if (cardAccess) {
      try {
        paceInfo = choosePace(parseCardAccess(cardAccess))
        if (!paceInfo) paceFallback = 'no-supported-pace-info'
      } catch {
        paceFallback = 'card-access-unreadable'
      }
    }
  }

  let access: 'BAC' | 'PACE' = 'BAC'
  const establish = async (first: boolean): Promise<void> => {
    channel.stopSecureMessaging()
    if (paceInfo && !(first === false && access === 'BAC')) {
      try {
        if (!first) {
          // Back to the master file, where PACE runs.
          await channel.send({
            cla: 0,
            ins: 0xa4,
            p1: 0,
            p2: 0x0c,
            data: Uint8Array.of(0x3f, 0x00),
          })
        }
        await performPace(
          channel,
          paceInfo,
          key.kind === 'mrz' ? mrzPassword(key.mrzInfo) : canPassword(key.can),
        )
        await selectApplet(channel)
        access = 'PACE'
        return
      } catch (error) {
        if (key.kind === 'can' || options.signal?.aborted) throw error
        if (error instanceof CounterError && error.code === 'EMRTD_CARD_REMOVED') throw error
        paceFallback = error instanceof CounterError ? error.code : 'pace-error'
        paceInfo = undefined
        channel.stopSecureMessaging()
      }
    }
    if (key.kind === 'can')
      throw new CounterError('EMRTD_UNSUPPORTED', {
        params: { what: 'CAN（该证件不支持 PACE，请输入机读码）' },
      })
    await selectApplet(channel)
    await performBac(channel, bacKeys(key.mrzInfo))
    access = 'BAC'
  }
  await establish(true)

  let fileIndex = 0
  // Until EF.COM says, assume the usual eight files (COM, SOD, DG1, DG2, DG11, DG12, DG14, DG15).
  let fileCount = 8
  const reader = new FileReader(channel, {
    strategy: options.strategy ?? 'adaptive',
    extendedLength: options.extendedLength ?? transport.extendedApdu,
    recover: () => establish(false),
    onProgress: (p: FileProgress) =>
      report({
        phase: 'reading',
        file: p.file,
        fileIndex,
        fileCount,
        offset: p.offset,
        length: p.length,
      }),
  })
  const files = new Map<LdsFileName, Uint8Array>()
  const read = async (name: LdsFileName, optional: boolean): Promise<Uint8Array | undefined> => {
    report({ phase: 'reading', file: name, fileIndex, fileCount, offset: 0, length: undefined })
    try {
      const bytes = await reader.read(ldsFile(name))
      files.set(name, bytes)
      return bytes
    } catch (error) {
      if (optional && error instanceof CounterError && error.code === 'EMRTD_FILE_NOT_FOUND')
        return undefined
      throw error
    } finally {
      fileIndex++
    }
  }

  let wanted: LdsFileName[]
  const com = await read('COM', true)
  try {
    wanted = com
      ? parseCom(com)
          .dataGroups.map((n) => ldsFileByDg(n)!.name)
          .filter((n) => !SKIP.has(n))
      : FALLBACK_FILES
  } catch {
    wanted = FALLBACK_FILES
  }
  if (!wanted.includes('DG1')) wanted.unshift('DG1')
  // DG14 first (Chip Authentication changes the keys for everything after it), SOD last.
  const order: LdsFileName[] = [
    ...(wanted.includes('DG14') ? (['DG14'] as const) : []),
    ...wanted.filter((n) => n !== 'DG14'),
    'SOD',
  ]
  fileCount = order.length + 1

  let chipAuthentication: ChipAuthenticationResult = { state: 'not-supported' }
  let securityInfos: SecurityInfo[] = []
  for (const name of order) {
    const optional = name !== 'DG1' && name !== 'SOD'
    await read(name, optional)
    if (name === 'DG14' && files.has('DG14') && options.chipAuthentication !== false) {
      try {
        securityInfos = parseDg14(files.get('DG14')!)
      } catch {
        securityInfos = []
      }
      const ca = chooseChipAuthentication(securityInfos)
      if (ca) {
        report({ phase: 'authenticating', file: 'DG14', fileIndex, fileCount })
        chipAuthentication = await chipAuthenticate(channel, ca)
        // A failed Chip Authentication leaves no usable session: open the chip again.
        if (chipAuthentication.state === 'failed') await establish(false)
      }
    }
  }

  let activeAuthentication: ActiveAuthenticationResult = { state: 'not-supported' }
  const dg15 = files.get('DG15')
  if (dg15 && options.activeAuthentication !== false) {
    report({ phase: 'authenticating', file: 'DG15', fileIndex, fileCount })
    try {
      const aaInfo = securityInfos.find((i): i is ActiveAuthenticationInfo => i.kind === 'aa')
      activeAuthentication = await performActiveAuthentication(channel, parseDg15(dg15), aaInfo)
    } catch (error) {
      if (error instanceof CounterError && error.code === 'EMRTD_CARD_REMOVED') throw error
      activeAuthentication = {
        state: 'failed',
        algorithm: 'AA',
        reason: error instanceof CounterError ? error.code : 'error',
      }
    }
  }
  fileIndex = fileCount
  report({ phase: 'authenticating', fileIndex, fileCount })

  return {
    accessControl: access,
    paceFallback,
    cardAccess,
    files,
    chipAuthentication,
    activeAuthentication,
    apduCount: channel.apduCount,
    bytesTransferred: channel.bytesSent + channel.bytesReceived,
    extendedLength: reader.extendedLengthUsable === true,
  }
}
