/**
 * Where the OFD module plugs in: checking a licence file's seals, and rendering it for the
 * preview. Without an OFD module the preview asks the library for the image instead, and seals
 * stay 未核验 — never a guessed result.
 */
import type { LicenceDocument, LicenceSeal, SealStatus } from '../../shared/domain'

export interface SealCheck {
  readonly seal: LicenceSeal
  readonly signatures: Readonly<Record<string, SealStatus>>
}

export type OfdDocumentView = Extract<LicenceDocument, { kind: 'ofd' }>

export interface OfdPort {
  /**
   * One result for the licence (valid only when every signature on it is valid), and each
   * signature's status by its ID, for outlining the stamps on the page.
   */
  verify(bytes: Uint8Array): Promise<SealCheck>
  /**
   * The preview's document: the first pages rendered. Seals are checked separately, so the page
   * is on screen while the signatures are still being verified.
   */
  render(bytes: Uint8Array): Promise<OfdDocumentView>
  /** Loads what the first preview would otherwise wait for (fonts, the canvas library). */
  warm?(): Promise<void>
}

export const SEAL_NOT_CHECKED_IMAGE: LicenceSeal = {
  state: 'unchecked',
  reason: '图像格式不含电子签章，需以 OFD 文件核验',
}

export const SEAL_PENDING: LicenceSeal = { state: 'unchecked', reason: '正在核验' }

export const SEAL_NO_VERIFIER: LicenceSeal = {
  state: 'unchecked',
  reason: '本机尚未配置 OFD 签章核验组件',
}
