/** Shared set-up for the chip tests: training documents on the in-process simulated reader. */
import {
  anchorsFrom,
  parseCertificate,
  readChip,
  type CardTransport,
  type ReadChipOptions,
} from '../../../../../src/main/devices/emrtd'
import {
  chipImage,
  EmrtdChip,
  emrtdTrainingPki,
  SimulatedReader,
  trainingDocument,
  type ChipImage,
  type ChipOptions,
} from '../../../../../src/main/training/emrtd-sim'

export const trainingAnchors = () =>
  anchorsFrom([parseCertificate(emrtdTrainingPki().csca.certificate)])

export async function image(id: string): Promise<ChipImage> {
  const spec = trainingDocument(id)
  if (!spec) throw new Error(`no training document ${id}`)
  return chipImage(spec)
}

export interface Rig {
  readonly chip: EmrtdChip
  readonly reader: SimulatedReader
  transport: CardTransport
}

export function rig(img: ChipImage, options: ChipOptions = {}, extendedApdu = true): Rig {
  const reader = new SimulatedReader(undefined, extendedApdu)
  const chip = new EmrtdChip(img, options)
  reader.place(chip)
  return { chip, reader, transport: reader.transport() }
}

export async function read(
  img: ChipImage,
  options: Partial<ReadChipOptions> = {},
  chipOptions: ChipOptions = {},
) {
  const r = rig(img, chipOptions)
  const result = await readChip(r.transport, {
    key: { kind: 'mrz', mrzInfo: img.mrzInfo },
    ...options,
  })
  return { ...result, chip: r.chip }
}
