/**
 * Resource files (PublicRes.xml, DocumentRes.xml, a page's PageRes): fonts, colour spaces, draw
 * parameters, images and composite graphic units. File locations inside a resource file are
 * relative to its `BaseLoc` directory, itself relative to the resource file.
 */
import type {
  ColorSpaceRes,
  CompositeUnitRes,
  DrawParamRes,
  FontRes,
  MediaRes,
  Resources,
} from '../model'
import { dirOf, resolveLoc, type OfdPackage } from '../package/ofd-package'
import { child, childrenNamed, type XmlElement } from '../package/xml'
import { guarded, parseColor, parseObjects, type ObjectContext } from './objects'
import { parseBool, parseIntAttr, parseNumber, parseNumbers } from './values'

export interface MutableResources {
  fonts: Map<string, FontRes>
  colorSpaces: Map<string, ColorSpaceRes>
  drawParams: Map<string, DrawParamRes>
  media: Map<string, MediaRes>
  compositeUnits: Map<string, CompositeUnitRes>
}

export function emptyResources(): MutableResources {
  return {
    fonts: new Map(),
    colorSpaces: new Map(),
    drawParams: new Map(),
    media: new Map(),
    compositeUnits: new Map(),
  }
}

/** Later maps win: page resources over document resources over public ones. */
export function mergeResources(...all: Resources[]): Resources {
  const out = emptyResources()
  for (const r of all) {
    for (const [k, v] of r.fonts) out.fonts.set(k, v)
    for (const [k, v] of r.colorSpaces) out.colorSpaces.set(k, v)
    for (const [k, v] of r.drawParams) out.drawParams.set(k, v)
    for (const [k, v] of r.media) out.media.set(k, v)
    for (const [k, v] of r.compositeUnits) out.compositeUnits.set(k, v)
  }
  return out
}

function fileIn(resDir: string, el: XmlElement | undefined): string | undefined {
  const loc = el?.text.trim()
  return loc ? resolveLoc(resDir, loc) : undefined
}

export function parseResourceFile(
  pkg: OfdPackage,
  path: string,
  into: MutableResources,
  objects: ObjectContext,
): void {
  const root = pkg.xml(path)
  guarded(path, () => {
    const base = root.attrs.BaseLoc?.trim()
    const resDir = base ? resolveLoc(dirOf(path), base) : dirOf(path)
    for (const list of root.children) {
      for (const el of list.children) {
        const id = el.attrs.ID?.trim()
        if (!id) continue
        switch (el.name) {
          case 'Font': {
            const a = el.attrs
            const fontFile = fileIn(resDir, child(el, 'FontFile'))
            into.fonts.set(id, {
              id,
              fontName: a.FontName ?? '',
              ...(a.FamilyName ? { familyName: a.FamilyName } : {}),
              ...(a.Charset ? { charset: a.Charset } : {}),
              italic: parseBool(a.Italic, false),
              bold: parseBool(a.Bold, false),
              serif: parseBool(a.Serif, false),
              fixedWidth: parseBool(a.FixedWidth, false),
              ...(fontFile ? { fontFile } : {}),
            })
            break
          }
          case 'ColorSpace': {
            const type = (el.attrs.Type ?? 'RGB').toUpperCase()
            const palette = child(el, 'Palette')
            into.colorSpaces.set(id, {
              id,
              type: type === 'GRAY' || type === 'CMYK' ? type : 'RGB',
              bitsPerComponent: parseIntAttr(el.attrs.BitsPerComponent, 8, 1, 16),
              ...(palette
                ? { palette: childrenNamed(palette, 'CV').map((cv) => parseNumbers(cv.text)) }
                : {}),
            })
            break
          }
          case 'DrawParam': {
            const a = el.attrs
            const fillColor = parseColor(child(el, 'FillColor'))
            const strokeColor = parseColor(child(el, 'StrokeColor'))
            into.drawParams.set(id, {
              id,
              ...(a.Relative ? { relative: a.Relative.trim() } : {}),
              ...(a.LineWidth !== undefined ? { lineWidth: parseNumber(a.LineWidth) } : {}),
              ...(a.Join ? { join: a.Join } : {}),
              ...(a.Cap ? { cap: a.Cap } : {}),
              ...(a.DashOffset !== undefined ? { dashOffset: parseNumber(a.DashOffset) } : {}),
              ...(a.DashPattern ? { dashPattern: parseNumbers(a.DashPattern) } : {}),
              ...(a.MiterLimit !== undefined ? { miterLimit: parseNumber(a.MiterLimit) } : {}),
              ...(fillColor ? { fillColor } : {}),
              ...(strokeColor ? { strokeColor } : {}),
            })
            break
          }
          case 'MultiMedia': {
            const file = fileIn(resDir, child(el, 'MediaFile'))
            if (!file) break
            into.media.set(id, {
              id,
              type: el.attrs.Type ?? 'Image',
              ...(el.attrs.Format ? { format: el.attrs.Format } : {}),
              file,
            })
            break
          }
          case 'CompositeGraphicUnit': {
            const content = child(el, 'Content')
            into.compositeUnits.set(id, {
              id,
              width: el.attrs.Width !== undefined ? parseNumber(el.attrs.Width) : 0,
              height: el.attrs.Height !== undefined ? parseNumber(el.attrs.Height) : 0,
              objects: content ? parseObjects(content, objects) : [],
            })
            break
          }
          default:
            break
        }
      }
    }
  })
}
