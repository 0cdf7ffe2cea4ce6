/** The LDS files: identifiers, short file identifiers and outer tags (Doc 9303 Part 10). */

export type LdsFileName =
  | 'COM'
  | 'SOD'
  | 'DG1'
  | 'DG2'
  | 'DG3'
  | 'DG4'
  | 'DG5'
  | 'DG6'
  | 'DG7'
  | 'DG8'
  | 'DG9'
  | 'DG10'
  | 'DG11'
  | 'DG12'
  | 'DG13'
  | 'DG14'
  | 'DG15'
  | 'DG16'

export interface LdsFile {
  readonly name: LdsFileName
  readonly fid: number
  readonly sfi: number
  readonly tag: number
  /** Data group number, undefined for COM and SOD. */
  readonly dg: number | undefined
}

const DG_TAGS = [
  0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
]

export const LDS_FILES: readonly LdsFile[] = [
  { name: 'COM', fid: 0x011e, sfi: 0x1e, tag: 0x60, dg: undefined },
  { name: 'SOD', fid: 0x011d, sfi: 0x1d, tag: 0x77, dg: undefined },
  ...DG_TAGS.map((tag, i) => ({
    name: `DG${i + 1}` as LdsFileName,
    fid: 0x0101 + i,
    sfi: i + 1,
    tag,
    dg: i + 1,
  })),
]

export function ldsFile(name: LdsFileName): LdsFile {
  return LDS_FILES.find((f) => f.name === name)!
}

export function ldsFileByTag(tag: number): LdsFile | undefined {
  return LDS_FILES.find((f) => f.tag === tag)
}

export function ldsFileByDg(dg: number): LdsFile | undefined {
  return LDS_FILES.find((f) => f.dg === dg)
}

export const EF_CARD_ACCESS = 0x011c
export const EF_CARD_ACCESS_SFI = 0x1c
export const EMRTD_AID = Uint8Array.of(0xa0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01)
