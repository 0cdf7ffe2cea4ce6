/**
 * The design's dependency rules, checked on the source: only the shell imports Electron, the
 * renderer never reaches into main, and domains meet only at each other's index.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const src = join(root, 'src')

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx)$/.test(name) ? [p] : []
  })
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(IMPORT)].map((m) => (m[1] ?? m[2])!)
}

const rel = (p: string) => relative(src, p).split(sep).join('/')

describe('architecture', () => {
  const all = files(src)

  it('only the Electron shell and the preload entry import electron', () => {
    const offenders = all
      .filter((f) => importsOf(f).includes('electron'))
      .map(rel)
      .filter(
        (f) => !(f === 'main/index.ts' || f.startsWith('main/shell/') || f === 'preload/index.ts'),
      )
    expect(offenders).toEqual([])
  })

  it('the renderer imports nothing from main or preload', () => {
    const offenders = all
      .filter((f) => rel(f).startsWith('renderer/'))
      .flatMap((f) =>
        importsOf(f)
          .filter((i) => i.startsWith('.') && /^(main|preload)\//.test(rel(resolve(dirname(f), i))))
          .map((i) => `${rel(f)} → ${i}`),
      )
    expect(offenders).toEqual([])
  })

  it('main-process domains import each other only through index.ts', () => {
    const main = join(src, 'main')
    const domainOf = (p: string) => relative(main, p).split(sep)[0]
    const offenders: string[] = []
    for (const f of all.filter((f) => f.startsWith(main + sep))) {
      for (const spec of importsOf(f).filter((i) => i.startsWith('.'))) {
        const target = resolve(dirname(f), spec)
        if (!target.startsWith(main + sep)) continue
        const from = domainOf(f)
        const to = domainOf(target)
        if (from === to || !to || /\.ts$/.test(to) || to === relative(main, target)) continue
        const isIndex = target.endsWith(`${sep}index`) || statExists(join(target, 'index.ts'))
        if (!isIndex) offenders.push(`${rel(f)} → ${spec}`)
      }
    }
    expect(offenders).toEqual([])
  })
})

function statExists(p: string): boolean {
  try {
    return statSync(p).isFile()
  } catch {
    return false
  }
}
