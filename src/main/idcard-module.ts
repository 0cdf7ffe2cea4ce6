/**
 * The ID card reader in the core: builds the reader the configuration names (the simulated one
 * in training, a serial or HID one in production), the photo decoder, and what a read and a lift
 * do to the applicant session.
 */
import { performance } from 'node:perf_hooks'
import { maskIdNumber } from '../shared/ids'
import type { Config } from './config'
import type { CoreModule } from './context'
import type { DeviceManager } from './devices'
import {
  createWltDecoder,
  hidConnector,
  idCardDriver,
  MAX_BODY_LENGTH,
  MAX_IMAGE_BODY_LENGTH,
  memoryConnector,
  MISSES_FOR_REMOVAL,
  photoForScreen,
  serialConnector,
  transcriptHeader,
  type AfterRead,
  type Connector,
  type IdCardRead,
  type ReaderRecording,
  type ReadOptions,
  type WltDecoder,
} from './devices/idcard'
import {
  createMemoryLink,
  DEFAULT_HID_PROFILE,
  nodeHidBackend,
  openTranscriptFile,
  type HidBackend,
  type TranscriptSink,
} from './devices/transports'
import type { Logger } from './log'
import { applicantFromIdCard, type ApplicantSession } from './session'
import { createTrainingControls, SamSimulator, type TrainingControls } from './training'

export interface IdCardModuleDeps {
  readonly config: Config
  readonly logger: Logger
  readonly devices: DeviceManager
  readonly session: ApplicantSession
  /** HID access; node-hid unless a test supplies a simulated device. */
  readonly hidBackend?: HidBackend
}

export interface IdCardModule extends Pick<CoreModule, 'start' | 'stop'> {
  /** Present with the simulated reader: the training panel's levers. */
  readonly training?: TrainingControls
  readonly simulator?: SamSimulator
}

/** Performance marks for "card placed → holder shown" (read by the end-to-end tests). */
export const MARKS = {
  placed: 'idcard.placed',
  found: 'idcard.found',
  readDone: 'idcard.read-done',
  identified: 'idcard.identified',
} as const

function mark(name: string, startTime?: number): void {
  performance.clearMarks(name)
  performance.mark(name, startTime === undefined ? undefined : { startTime })
}

export function createIdCardModule(deps: IdCardModuleDeps): IdCardModule {
  const { config, session } = deps
  const logger = deps.logger.child('idcard')
  const device = config.devices.idcard
  const pollIntervalMs = config.devices.pollIntervalMs
  if (device.kind === 'none') return {}

  // Field diagnostics: every exchange with the reader into a transcript, masked by default.
  let recordSink: TranscriptSink | undefined
  let record: ReaderRecording | undefined
  if (device.record) {
    const { file, personalData } = device.record
    recordSink = openTranscriptFile(file, {
      append: true,
      header: transcriptHeader('ID card reader transcript', personalData),
      onError: (error) => logger.warn('ID card transcript not written', { error }),
    })
    record = { sink: recordSink, personalData }
    logger.info('recording the ID card reader', { personalData })
  }

  const decoderConfig = device.photoDecoder
  const decoder: WltDecoder | undefined = decoderConfig
    ? createWltDecoder(decoderConfig)
    : undefined

  // A read and a lift may cross while the photo is decoded: only the latest event counts.
  let epoch = 0
  const onRead = async (read: IdCardRead, deviceId: string) => {
    const mine = ++epoch
    mark(MARKS.found, read.timing.foundAt)
    mark(MARKS.readDone, read.timing.doneAt)
    const photo = await photoForScreen(read.photo, read.photoFormat, decoder)
    if (mine !== epoch) return
    const applicant = applicantFromIdCard(read, new Date(), photo)
    logger.info('ID card read', {
      deviceId,
      cardType: read.text.type,
      holder: maskIdNumber(applicant.code),
      readMs: Math.round(read.timing.doneAt - read.timing.startedAt),
      photo: photo.state,
    })
    session.identify(applicant)
    mark(MARKS.identified)
  }
  const onRemoved = (deviceId: string) => {
    epoch++
    logger.info('ID card lifted', { deviceId })
    session.clear()
  }

  let connector: Connector
  let training: TrainingControls | undefined
  let simulator: SamSimulator | undefined
  let read: ReadOptions = {}
  let afterRead: AfterRead = 'auto'
  let maxBodyLength = MAX_BODY_LENGTH
  let id: string
  let label: string
  const rescanMs = (device.kind !== 'simulated' ? device.rescanMs : undefined) ?? 2000

  switch (device.kind) {
    case 'simulated': {
      const link = createMemoryLink()
      simulator = new SamSimulator(link.device, {
        profile: {
          photo: device.photo ?? 'wlt',
          afterRead: device.sticky ? 'sticky' : 'refinds',
          // Paced like a serial reader at this speed, so training feels (and measures) like one.
          ...(device.baudRate ? { baudRate: device.baudRate } : {}),
        },
      })
      const sim = simulator
      const controls = createTrainingControls(sim, {
        missesForRemoval: MISSES_FOR_REMOVAL,
        maxLiftWaitMs: pollIntervalMs * 4,
      })
      training = {
        ...controls,
        async placeCard(cardId) {
          await controls.placeCard(cardId)
          mark(MARKS.placed)
        },
      }
      connector = memoryConnector(link.host)
      // Training shows everything a reader can deliver: fingerprints present, appended address.
      read = { fingerprints: true, appendedAddress: true }
      if (device.photo === 'bmp') maxBodyLength = MAX_IMAGE_BODY_LENGTH
      id = 'idcard-sim'
      label = '身份证阅读器（模拟）'
      break
    }
    case 'serial':
      connector = serialConnector({
        port: device.port,
        baudRate: device.baudRate,
        negotiate: device.negotiateBaud ?? true,
        candidates: device.candidates ?? [],
        rescanMs,
        notice: (error) => logger.warn('ID card reader notice', { code: error.code }),
      })
      id = 'idcard-serial'
      label = '身份证阅读器'
      break
    case 'hid':
      connector = hidConnector(deps.hidBackend ?? nodeHidBackend(), {
        target: { vendorId: device.vendorId, productId: device.productId, path: device.path },
        profile: device.report
          ? {
              reportSize: device.report.size,
              reportId: device.report.id,
              lengthPrefix: device.report.lengthPrefix,
              padByte: device.report.pad,
            }
          : DEFAULT_HID_PROFILE,
        rescanMs,
      })
      id = 'idcard-hid'
      label = '身份证阅读器'
      break
  }
  if (device.kind !== 'simulated') {
    read = {
      fingerprints: device.fingerprints ?? false,
      appendedAddress: device.appendedAddress ?? true,
    }
    afterRead = device.afterRead ?? 'auto'
    if (device.returnsImage) maxBodyLength = MAX_IMAGE_BODY_LENGTH
  }

  deps.devices.add(
    idCardDriver({
      id,
      label,
      simulated: device.kind === 'simulated',
      pollIntervalMs,
      connector,
      read,
      afterRead,
      maxBodyLength,
      ...(record ? { record } : {}),
      logger,
      onRead: (r) => {
        onRead(r, id).catch((error: unknown) => logger.error('ID card read not shown', { error }))
      },
      onRemoved: () => onRemoved(id),
    }),
  )

  return {
    ...(training ? { training } : {}),
    ...(simulator ? { simulator } : {}),
    async start() {
      decoder?.warm()
    },
    async stop() {
      epoch++
      await decoder?.close()
      await recordSink?.close()
    },
  }
}
