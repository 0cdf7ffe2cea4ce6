/**
 * `ofd info | verify | render`: look into a licence file from the command line, for field
 * engineers and tests. Output is JSON; a file that cannot be read is a JSON error and exit 1. A
 * file that opens exits 0 whatever its seals say — a missing or broken signature list included,
 * which `verify` reports as a document-altered result.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { CounterError, isCounterError } from '../../../shared/errors'
import {
  createFontLibrary,
  displayName,
  openOfd,
  outlineOf,
  parseCertificate,
  parseSesSignature,
  rasterisePage,
  renderPage,
  verifyOfd,
  type OfdDocument,
} from '../../ofd'
import { createTrainingSealKit } from '../../training'
import { printJson, type Command } from '../command'

async function open(file: string): Promise<OfdDocument> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(file)
  } catch (cause) {
    throw new CounterError('OFD_FILE_UNREADABLE', { params: { file }, cause })
  }
  return openOfd(bytes, { name: file })
}

const list = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.filter((x): x is string => typeof x === 'string')
    : typeof v === 'string'
      ? [v]
      : []

function pemOrDer(bytes: Uint8Array): Uint8Array[] {
  const text = new TextDecoder('latin1').decode(bytes)
  const blocks = [
    ...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g),
  ]
  if (!blocks.length) return [bytes]
  return blocks.map((m) => new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')))
}

/** Signature entries with what can be read without verifying them. */
function signatureSummary(doc: OfdDocument) {
  return doc.signatureList().entries.map((entry) => {
    try {
      const file = doc.signatureFile(entry)
      const base = {
        id: entry.id,
        type: entry.type,
        pages: file.stamps.map((s) => doc.pageIndexById(s.pageRef) + 1).filter((p) => p > 0),
      }
      if (!file.signedValue) return base
      const ses = parseSesSignature(doc.pkg.read(file.signedValue))
      let signer: string | undefined
      try {
        signer = displayName(parseCertificate(ses.signerCert).subject)
      } catch {
        signer = undefined
      }
      return {
        ...base,
        version: ses.version,
        sealName: ses.seal.name,
        ...(signer ? { signer } : {}),
        ...(ses.timeInfo ? { signedAt: ses.timeInfo.toISOString() } : {}),
      }
    } catch (error) {
      if (!isCounterError(error)) throw error
      return { id: entry.id, type: entry.type, error: error.code }
    }
  })
}

/** OFD.xml names a signature list that is missing or broken: say so, rather than "unsigned". */
function signatureListProblem(doc: OfdDocument) {
  const problem = doc.signatureList().problem
  return problem
    ? {
        signatureListProblem: {
          kind: problem.kind,
          part: problem.part,
          ...(problem.reason ? { reason: problem.reason } : {}),
        },
      }
    : {}
}

export const ofdCommands: Command[] = [
  {
    path: ['ofd', 'info'],
    usage: 'ofd info <file>',
    summary: '显示 OFD 文件的页面、字体与签章',
    async run({ positionals }, ctx) {
      const file = positionals[0]
      if (!file) {
        ctx.stderr('用法: ofd info <file>\n')
        return 64
      }
      const doc = await open(file)
      const fonts = new Map([...doc.resources.fonts])
      for (let i = 0; i < doc.pageCount; i++)
        for (const [k, v] of doc.page(i).resources.fonts) fonts.set(k, v)
      printJson(ctx, {
        file,
        ...(doc.info.title ? { title: doc.info.title } : {}),
        ...(doc.info.docId ? { docId: doc.info.docId } : {}),
        ...(doc.info.creator ? { creator: doc.info.creator } : {}),
        pages: outlineOf(doc).pages.map((p) => ({
          page: p.index + 1,
          width: p.width,
          height: p.height,
        })),
        fonts: [...fonts.values()].map((f) => ({
          id: f.id,
          name: f.fontName,
          ...(f.familyName ? { family: f.familyName } : {}),
          embedded: !!f.fontFile && doc.pkg.has(f.fontFile),
          ...(f.bold ? { bold: true } : {}),
          ...(f.italic ? { italic: true } : {}),
        })),
        signatures: signatureSummary(doc),
        ...signatureListProblem(doc),
        ...(Object.keys(doc.info.customData).length ? { customData: doc.info.customData } : {}),
      })
      return 0
    },
  },
  {
    path: ['ofd', 'verify'],
    usage: 'ofd verify <file> [--trust <cert>]… [--training] [--verbose]',
    summary: '核验 OFD 文件的电子签章（文件可读即返回 0）',
    options: {
      trust: { type: 'string', multiple: true },
      training: { type: 'boolean' },
      verbose: { type: 'boolean' },
    },
    async run({ positionals, values }, ctx) {
      const file = positionals[0]
      if (!file) {
        ctx.stderr('用法: ofd verify <file> [--trust <cert>]… [--training]\n')
        return 64
      }
      const certificates: Uint8Array[] = []
      for (const path of list(values.trust)) {
        try {
          certificates.push(...pemOrDer(await readFile(path)))
        } catch (cause) {
          throw new CounterError('OFD_FILE_UNREADABLE', { params: { file: path }, cause })
        }
      }
      if (values.training) {
        const fonts = createFontLibrary({ resourcesDir: ctx.resourcesDir })
        certificates.push(createTrainingSealKit(fonts).rootCertificate)
      }
      const doc = await open(file)
      const result = await verifyOfd(doc, { trust: { certificates } })
      printJson(ctx, {
        signatures: result.signatures.map((s) => ({
          valid: s.status === 'valid',
          reason: s.status,
          signer: s.signer ?? null,
          signedAt: s.signedAt ?? null,
          sealName: s.sealName ?? null,
          ...(values.verbose
            ? {
                id: s.id,
                detail: s.reason,
                message: s.message,
                certificate: s.certificate,
                validityAt: s.validityAt,
                timeSource: s.timeSource,
                timestamp: s.timestamp,
              }
            : {}),
        })),
      })
      return 0
    },
  },
  {
    path: ['ofd', 'render'],
    usage: 'ofd render <file> --page <n> --png <out> [--dpi <n>]',
    summary: '将 OFD 文件的一页绘制为 PNG',
    options: { page: { type: 'string' }, png: { type: 'string' }, dpi: { type: 'string' } },
    async run({ positionals, values }, ctx) {
      const file = positionals[0]
      const out = typeof values.png === 'string' ? values.png : undefined
      const page = Number(values.page ?? 1)
      const dpi = Number(values.dpi ?? 150)
      if (!file || !out || !Number.isInteger(page) || page < 1 || !(dpi >= 10 && dpi <= 1200)) {
        ctx.stderr('用法: ofd render <file> --page <n> --png <out> [--dpi <10–1200>]\n')
        return 64
      }
      const doc = await open(file)
      const fonts = createFontLibrary({ resourcesDir: ctx.resourcesDir })
      const drawn = renderPage(doc, page - 1, { fonts })
      const png = await rasterisePage(drawn, { dpi })
      try {
        await writeFile(out, png)
      } catch (cause) {
        throw new CounterError('OFD_OUTPUT_UNWRITABLE', { params: { file: out }, cause })
      }
      printJson(ctx, {
        file,
        page,
        width: drawn.width,
        height: drawn.height,
        dpi,
        png: out,
        bytes: png.length,
        warnings: drawn.warnings,
      })
      return 0
    },
  },
]
