/**
 * Licence templates (resources/templates/<id>.json): the page, its background and vector
 * decorations, fixed labels, variable fields with a font and size, the QR code box and the seal
 * box. Lengths are millimetres; font sizes are the em size in millimetres, as OFD writes them
 * (10.5 pt ≈ 3.7 mm). A template is validated strictly: a typo must not print a wrong licence.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { CounterError } from '../../../shared/errors'

const Rgb = z.tuple([
  z.number().int().min(0).max(255),
  z.number().int().min(0).max(255),
  z.number().int().min(0).max(255),
])
const Mm = z.number().min(-10_000).max(10_000)
const FontName = z.enum(['宋体', '仿宋', '楷体', '黑体'])

const Decoration = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('rect'),
    box: z.tuple([Mm, Mm, Mm, Mm]),
    stroke: Rgb.optional(),
    fill: Rgb.optional(),
    width: z.number().positive().max(50).default(0.3),
  }),
  z.strictObject({
    kind: z.literal('line'),
    from: z.tuple([Mm, Mm]),
    to: z.tuple([Mm, Mm]),
    stroke: Rgb.default([0, 0, 0]),
    width: z.number().positive().max(50).default(0.3),
    dash: z.array(z.number().positive()).optional(),
  }),
  z.strictObject({
    kind: z.literal('path'),
    /** OFD AbbreviatedData in page millimetres (M L Q B A C). */
    data: z.string().min(1),
    stroke: Rgb.optional(),
    fill: Rgb.optional(),
    width: z.number().positive().max(50).default(0.3),
  }),
])

const TextStyle = {
  font: FontName.default('宋体'),
  size: z.number().positive().max(200),
  color: Rgb.default([0, 0, 0]),
  bold: z.boolean().default(false),
  align: z.enum(['left', 'center', 'right']).default('left'),
  /** Extra space between characters, in millimetres (labels like 营 业 执 照). */
  spacing: z.number().min(0).max(100).default(0),
}

const FixedText = z.strictObject({
  text: z.string().min(1),
  /** The baseline's anchor: left, centre or right end per `align`. */
  x: Mm,
  y: Mm,
  ...TextStyle,
})

const Field = z.strictObject({
  key: z.string().min(1),
  /** The field's name for the clerk and in errors. */
  label: z.string().min(1),
  x: Mm,
  y: Mm,
  /** The width the text must fit in; it shrinks to `minSize`, then wraps to `maxLines`. */
  width: z.number().positive().max(10_000),
  ...TextStyle,
  minSize: z.number().positive().max(200).optional(),
  maxLines: z.number().int().min(1).max(20).default(1),
  lineHeight: z.number().positive().max(200).optional(),
  required: z.boolean().default(true),
})

export const LicenceTemplateSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  /** Licence type codes this template is for (GB/T 36902). */
  typeCodes: z.array(z.string()).default([]),
  page: z.strictObject({
    width: z.number().positive().max(2000),
    height: z.number().positive().max(2000),
  }),
  background: z
    .strictObject({
      color: Rgb.optional(),
      /** A PNG or JPEG beside the template, drawn over the whole page. */
      image: z
        .string()
        .regex(/^[\w.-]+\.(png|jpe?g)$/i)
        .optional(),
    })
    .default({}),
  decorations: z.array(Decoration).default([]),
  texts: z.array(FixedText).default([]),
  fields: z.array(Field).default([]),
  qr: z.strictObject({ x: Mm, y: Mm, size: z.number().positive().max(500) }).optional(),
  seal: z.strictObject({
    x: Mm,
    y: Mm,
    width: z.number().positive().max(500),
    height: z.number().positive().max(500),
  }),
})

export type LicenceTemplate = z.output<typeof LicenceTemplateSchema> & {
  /** Loaded background image bytes, when the template names one. */
  readonly backgroundImage?: Uint8Array
}
export type TemplateField = z.output<typeof Field>
export type TemplateText = z.output<typeof FixedText>
export type TemplateDecoration = z.output<typeof Decoration>

export function parseLicenceTemplate(json: unknown, name: string): LicenceTemplate {
  const r = LicenceTemplateSchema.safeParse(json)
  if (!r.success) {
    const issue = r.error.issues[0]!
    throw new CounterError('OFD_TEMPLATE_INVALID', {
      params: { template: name, reason: `${issue.path.join('.') || '(根)'}: ${issue.message}` },
    })
  }
  return r.data
}

/** Reads resources/templates/<id>.json (and its background image). */
export async function loadLicenceTemplate(
  resourcesDir: string,
  id: string,
): Promise<LicenceTemplate> {
  if (!/^[a-z0-9-]+$/.test(id))
    throw new CounterError('OFD_TEMPLATE_UNKNOWN', { params: { template: id } })
  const dir = join(resourcesDir, 'templates')
  let text: string
  try {
    text = await readFile(join(dir, `${id}.json`), 'utf8')
  } catch (cause) {
    throw new CounterError('OFD_TEMPLATE_UNKNOWN', { params: { template: id }, cause })
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new CounterError('OFD_TEMPLATE_INVALID', {
      params: { template: id, reason: '不是有效的 JSON' },
    })
  }
  const template = parseLicenceTemplate(json, id)
  if (template.id !== id)
    throw new CounterError('OFD_TEMPLATE_INVALID', {
      params: { template: id, reason: `id 应为 ${id}` },
    })
  if (template.background.image) {
    try {
      return { ...template, backgroundImage: await readFile(join(dir, template.background.image)) }
    } catch (cause) {
      throw new CounterError('OFD_TEMPLATE_INVALID', {
        params: { template: id, reason: `缺少背景图 ${template.background.image}` },
        cause,
      })
    }
  }
  return template
}
