/**
 * One Content-Security-Policy: `src/shared/csp.ts` defines it, the shell and the end-to-end
 * server import it, and the only copy — the `<meta>` tag of the renderer's index.html, which
 * cannot import — must match it word for word.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../../../../src/shared/csp'

const root = resolve(import.meta.dirname, '../../../..')

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx|html|mjs)$/.test(name) ? [p] : []
  })
}

describe('Content-Security-Policy', () => {
  it('the renderer’s index.html carries exactly the shared policy', () => {
    const html = readFileSync(join(root, 'src/renderer/index.html'), 'utf8')
    const metas = [
      ...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*\/?>/gi),
    ]
    expect(metas).toHaveLength(1)
    expect(metas[0]![1]).toBe(CONTENT_SECURITY_POLICY)
  })

  it('is written out nowhere else in the source or the test harness', () => {
    const copies = [...files(join(root, 'src')), ...files(join(root, 'test/e2e'))]
      .filter((f) => readFileSync(f, 'utf8').includes("default-src '"))
      .map((f) => relative(root, f).split(sep).join('/'))
    expect(copies.sort()).toEqual(['src/renderer/index.html', 'src/shared/csp.ts'])
  })

  it('keeps the app to itself: no inline script, nothing remote', () => {
    expect(CONTENT_SECURITY_POLICY).toMatch(/^default-src 'self';/)
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/)
  })
})
