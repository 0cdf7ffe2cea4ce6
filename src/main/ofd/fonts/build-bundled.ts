/**
 * Builds resources/fonts/ from the upstream fonts (a maintainer's tool, not used at run time):
 *
 *   npx tsx src/main/ofd/fonts/build-bundled.ts --out resources/fonts \
 *     --song NotoSerifCJK-Regular.ttc#2 --hei NotoSansCJK-Regular.ttc#2 \
 *     --kai LXGWWenKai-Regular.ttf --fang FandolFang-Regular.otf
 *
 * Debian packages: fonts-noto-cjk, fonts-lxgw-wenkai, texlive-lang-chinese (for Fandol). `#n` picks
 * a face from a collection. Each font is subset to `bundledCharset()`, stripped of hinting and
 * renamed (name IDs 1–6, 16, 17), keeping its copyright and licence records.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { BUNDLED_FACES, type BundledStyle } from './bundled'
import { bundledCharset } from './charset'
import { buildNameTable, readNames, readSfnt, writeSfnt } from './sfnt'
import { subsetFont } from './subset'

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    song: { type: 'string' },
    hei: { type: 'string' },
    kai: { type: 'string' },
    fang: { type: 'string' },
  },
})
if (!values.out) throw new Error('--out is required')

for (const style of ['song', 'hei', 'kai', 'fang'] as BundledStyle[]) {
  const spec = values[style]
  if (!spec) continue
  const [file, index] = spec.split('#')
  const face = BUNDLED_FACES[style]
  const subset = subsetFont(readFileSync(file!), {
    codePoints: bundledCharset(face.level),
    faceIndex: index ? Number(index) : 0,
  })
  if (!subset) throw new Error(`cannot subset ${file}`)
  const sfnt = readSfnt(subset)
  const old = readNames(sfnt.tables.get('name')!)
  const ps = face.face.replace(/\s+/g, '') + '-Regular'
  const records = [
    { nameId: 0, value: old.get(0) ?? '' },
    { nameId: 1, value: face.face },
    { nameId: 2, value: 'Regular' },
    { nameId: 3, value: `${ps};${old.get(5) ?? ''}` },
    { nameId: 4, value: `${face.face} Regular` },
    { nameId: 5, value: old.get(5) ?? 'Version 1.0' },
    { nameId: 6, value: ps },
    { nameId: 10, value: `Subset of ${face.source} for CounterDesk (GB 2312, no hinting).` },
    { nameId: 13, value: old.get(13) ?? face.licence },
    { nameId: 14, value: old.get(14) ?? '' },
  ].filter((r) => r.value !== '')
  sfnt.tables.set('name', buildNameTable(records))
  const out = writeSfnt(sfnt)
  writeFileSync(join(values.out, face.file), out)
  console.log(`${face.file}: ${out.length} bytes from ${file}`)
}
