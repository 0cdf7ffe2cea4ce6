/**
 * Where a renderer-side OFD page painter plugs in. It paints one page of the OFD module's draw
 * list at a scale (CSS pixels per millimetre × zoom) and says when the page is on screen. Without
 * one, the viewer shows the page as rasterised in main from the same draw list.
 */
import type { ComponentType } from 'react'
import type { RenderPage, SealStatus } from '../../../shared/domain'
import { OfdPageSvg } from '../components/ofd/OfdPageSvg'

export interface OfdPagePainterProps {
  readonly page: RenderPage
  /** CSS pixels per millimetre. */
  readonly scale: number
  readonly onPainted?: () => void
  /** Each signature's check result, to outline its stamp. */
  readonly sealStatus?: Readonly<Record<string, SealStatus>>
}

export type OfdPagePainter = ComponentType<OfdPagePainterProps>

export const ofdPagePainter: OfdPagePainter | null = OfdPageSvg
