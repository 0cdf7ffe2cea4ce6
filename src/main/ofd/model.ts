/**
 * The typed OFD document model (GB/T 33190): what the reader produces and the renderer, the
 * verifier and the CLI consume. Paths are package paths without a leading slash; lengths are
 * millimetres; IDs are the document's own (unique within a document).
 */
import type { Matrix } from '../../shared/domain'
import type { Box } from './types'
import type { XmlElement } from './package/xml'

export interface DocInfo {
  readonly docId?: string
  readonly title?: string
  readonly author?: string
  readonly subject?: string
  readonly abstract?: string
  readonly creationDate?: string
  readonly modDate?: string
  readonly docUsage?: string
  readonly creator?: string
  readonly creatorVersion?: string
  readonly keywords: readonly string[]
  /** DocInfo/CustomDatas: producers put licence metadata here (证照标识, 持证主体 …). */
  readonly customData: Readonly<Record<string, string>>
}

export interface PageArea {
  readonly physicalBox: Box
  readonly applicationBox?: Box
  readonly contentBox?: Box
  readonly bleedBox?: Box
}

export interface TemplatePageRef {
  readonly id: string
  readonly name?: string
  readonly zOrder: 'Background' | 'Foreground'
  readonly baseLoc: string
}

export interface PageRef {
  readonly id: string
  readonly baseLoc: string
}

/** A colour as written: components in its colour space (RGB 0–255 by default), alpha 0–255. */
export interface OfdColor {
  readonly value?: readonly number[]
  readonly index?: number
  readonly colorSpace?: string
  readonly alpha?: number
  /** A shading or pattern this model simplifies to one representative colour. */
  readonly approximated?: boolean
}

export interface FontRes {
  readonly id: string
  readonly fontName: string
  readonly familyName?: string
  readonly charset?: string
  readonly italic: boolean
  readonly bold: boolean
  readonly serif: boolean
  readonly fixedWidth: boolean
  /** Package path of the embedded font file, when there is one. */
  readonly fontFile?: string
}

export interface ColorSpaceRes {
  readonly id: string
  readonly type: 'GRAY' | 'RGB' | 'CMYK'
  readonly bitsPerComponent: number
  readonly palette?: readonly (readonly number[])[]
}

export interface DrawParamRes {
  readonly id: string
  readonly relative?: string
  readonly lineWidth?: number
  readonly join?: string
  readonly cap?: string
  readonly dashOffset?: number
  readonly dashPattern?: readonly number[]
  readonly miterLimit?: number
  readonly fillColor?: OfdColor
  readonly strokeColor?: OfdColor
}

export interface MediaRes {
  readonly id: string
  readonly type: string
  readonly format?: string
  /** Package path of the media file. */
  readonly file: string
}

export interface CompositeUnitRes {
  readonly id: string
  readonly width: number
  readonly height: number
  readonly objects: readonly PageObject[]
}

export interface Resources {
  readonly fonts: ReadonlyMap<string, FontRes>
  readonly colorSpaces: ReadonlyMap<string, ColorSpaceRes>
  readonly drawParams: ReadonlyMap<string, DrawParamRes>
  readonly media: ReadonlyMap<string, MediaRes>
  readonly compositeUnits: ReadonlyMap<string, CompositeUnitRes>
}

export interface GraphicState {
  readonly id?: string
  readonly boundary: Box
  readonly ctm?: Matrix
  readonly drawParam?: string
  readonly lineWidth?: number
  readonly cap?: string
  readonly join?: string
  readonly miterLimit?: number
  readonly dashOffset?: number
  readonly dashPattern?: readonly number[]
  /** 0–255. */
  readonly alpha?: number
  readonly visible: boolean
  readonly clips: readonly ClipDef[]
}

/** One Clip: the union of its areas. Several Clips on an object intersect. */
export interface ClipDef {
  readonly areas: readonly ClipArea[]
}

export interface ClipArea {
  readonly drawParam?: string
  readonly ctm?: Matrix
  readonly shape: PathObject | TextObject
}

export interface TextCode {
  readonly x?: number
  readonly y?: number
  readonly deltaX?: readonly number[]
  readonly deltaY?: readonly number[]
  readonly text: string
}

/** Maps characters of the text to glyph indexes of the embedded font (for fonts without cmap). */
export interface CGTransform {
  readonly codePosition: number
  readonly codeCount: number
  readonly glyphCount: number
  readonly glyphs: readonly number[]
}

export interface TextObject extends GraphicState {
  readonly kind: 'text'
  readonly font: string
  readonly size: number
  readonly stroke: boolean
  readonly fill: boolean
  readonly hScale: number
  readonly readDirection: number
  readonly charDirection: number
  readonly weight: number
  readonly italic: boolean
  readonly fillColor?: OfdColor
  readonly strokeColor?: OfdColor
  readonly codes: readonly TextCode[]
  readonly cgTransforms: readonly CGTransform[]
}

export interface PathObject extends GraphicState {
  readonly kind: 'path'
  readonly stroke: boolean
  readonly fill: boolean
  readonly rule: 'NonZero' | 'Even-Odd'
  readonly data: string
  readonly fillColor?: OfdColor
  readonly strokeColor?: OfdColor
}

export interface ImageObject extends GraphicState {
  readonly kind: 'image'
  readonly resourceId: string
}

export interface CompositeObject extends GraphicState {
  readonly kind: 'composite'
  readonly resourceId: string
}

export interface PageBlock {
  readonly kind: 'block'
  readonly id?: string
  readonly objects: readonly PageObject[]
}

export type PageObject = TextObject | PathObject | ImageObject | CompositeObject | PageBlock

export interface Layer {
  readonly id?: string
  readonly type: 'Body' | 'Background' | 'Foreground' | 'Custom'
  readonly drawParam?: string
  readonly objects: readonly PageObject[]
}

export interface Page {
  readonly id: string
  /** Index in the document, or -1 for a template page. */
  readonly index: number
  readonly path: string
  readonly area?: PageArea
  readonly templates: readonly {
    readonly templateId: string
    readonly zOrder?: 'Background' | 'Foreground'
  }[]
  /** Resources declared by the page itself (PageRes). */
  readonly resources: Resources
  /** The PageRes files those came from. */
  readonly resourceFiles: readonly string[]
  readonly layers: readonly Layer[]
  /** Drawable objects in the page, counted while parsing. */
  readonly objectCount: number
}

export interface Annotation {
  readonly id: string
  readonly type: string
  readonly subtype?: string
  readonly creator?: string
  readonly lastModDate?: string
  readonly visible: boolean
  readonly print: boolean
  readonly remark?: string
  readonly parameters: Readonly<Record<string, string>>
  readonly appearance?: { readonly boundary: Box; readonly objects: readonly PageObject[] }
}

export interface CustomTag {
  readonly typeId?: string
  readonly nameSpace?: string
  readonly file?: string
  /** The tag file's root element, when the file exists and parses. */
  readonly root?: XmlElement
}

export interface Attachment {
  readonly id: string
  readonly name: string
  readonly format?: string
  readonly creationDate?: string
  readonly size?: number
  readonly file: string
}

export interface SignatureEntry {
  readonly id: string
  readonly type: 'Seal' | 'Sign'
  /** Package path of the signature's Signature.xml; empty when the entry names none. */
  readonly baseLoc: string
}

/** Signatures.xml as read: its entries, or why the list OFD.xml names cannot be read. */
export interface SignatureList {
  readonly entries: readonly SignatureEntry[]
  readonly problem?: {
    readonly kind: 'missing' | 'malformed'
    /** Package path of Signatures.xml. */
    readonly part: string
    readonly reason?: string
  }
}

/** Signature.xml, as read. */
export interface SignatureFile {
  readonly path: string
  readonly provider?: {
    readonly name?: string
    readonly version?: string
    readonly company?: string
  }
  readonly signatureMethod?: string
  readonly signatureDateTime?: string
  readonly checkMethod?: string
  readonly references: readonly { readonly fileRef: string; readonly checkValue: string }[]
  readonly stamps: readonly {
    readonly pageRef: string
    readonly boundary: Box
    readonly id?: string
    readonly clip?: Box
  }[]
  /** Package path of SignedValue.dat. */
  readonly signedValue?: string
  /** The seal file (Seal.esl) when present. */
  readonly seal?: string
}
