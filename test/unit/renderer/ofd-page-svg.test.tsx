import { render } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { OfdPageSvg } from '../../../src/renderer/src/components/ofd/OfdPageSvg'
import type { RenderPage } from '../../../src/shared/domain'

const page: RenderPage = {
  index: 0,
  width: 100,
  height: 50,
  glyphs: { 'f0:1': 'M0 0L500 0L500 -700Z' },
  images: { i0: { mime: 'image/png', data: 'iVBORw0KGgo=', width: 1, height: 1 } },
  fonts: { f0: { family: '宋体', source: 'bundled', face: 'CounterDesk Song' } },
  warnings: [],
  ops: [
    {
      kind: 'path',
      d: 'M0 0L10 0L10 10Z',
      transform: [1, 0, 0, 1, 5, 5],
      fill: [255, 0, 0, 1],
      rule: 'evenodd',
    },
    {
      kind: 'text',
      transform: [1, 0, 0, 1, 10, 20],
      size: 5,
      fill: [0, 0, 0, 1],
      font: 'f0',
      text: '张 三',
      glyphs: [
        { g: 'f0:1', x: 0, y: 5, c: '张' },
        { x: 5, y: 5, c: ' ' },
        { g: 'f0:1', x: 10, y: 5, c: '三' },
      ],
    },
    {
      kind: 'group',
      role: 'seal',
      ref: '1',
      clips: [[{ d: 'M60 10L90 10L90 40L60 40Z', rule: 'nonzero' }]],
      ops: [{ kind: 'image', image: 'i0', transform: [30, 0, 0, 30, 60, 10] }],
    },
  ],
}

describe('OfdPageSvg', () => {
  it('paints the draw list at the given scale, glyphs defined once', () => {
    const onPainted = vi.fn()
    const { container } = render(<OfdPageSvg page={page} scale={4} onPainted={onPainted} />)
    const svg = container.querySelector('svg')!
    expect(svg.getAttribute('width')).toBe('400')
    expect(svg.getAttribute('height')).toBe('200')
    expect(svg.getAttribute('viewBox')).toBe('0 0 100 50')
    expect(container.querySelectorAll('defs > path')).toHaveLength(1)
    const uses = container.querySelectorAll('use')
    expect(uses).toHaveLength(2) // the space draws nothing
    expect(uses[1]!.getAttribute('transform')).toBe('matrix(0.005 0 0 0.005 10 5)')
    expect(container.querySelector('[data-text="张 三"]')).not.toBeNull()
    const path = container.querySelector('path[fill-rule="evenodd"]')!
    expect(path.getAttribute('fill')).toBe('rgba(255,0,0,1)')
    expect(container.querySelector('image')!.getAttribute('href')).toBe(
      'data:image/png;base64,iVBORw0KGgo=',
    )
    expect(container.querySelector('clipPath path')!.getAttribute('d')).toBe(
      'M60 10L90 10L90 40L60 40Z',
    )
    expect(container.querySelector('[data-role="seal"][data-ref="1"]')).not.toBeNull()
    expect(onPainted).toHaveBeenCalled()
  })

  it('outlines seals in the colour of their check result', () => {
    const { container, rerender } = render(
      <OfdPageSvg page={page} scale={1} sealStatus={{ '1': 'valid' }} />,
    )
    expect(container.querySelector('[data-seal-status="valid"]')!.getAttribute('stroke')).toBe(
      '#1a7f37',
    )
    rerender(<OfdPageSvg page={page} scale={1} sealStatus={{ '1': 'document-altered' }} />)
    expect(
      container.querySelector('[data-seal-status="document-altered"]')!.getAttribute('stroke'),
    ).toBe('#c62828')
  })

  it('keeps ids apart when several pages are on screen', () => {
    const { container } = render(
      <>
        <OfdPageSvg page={page} scale={1} />
        <OfdPageSvg page={{ ...page, index: 1 }} scale={1} />
      </>,
    )
    const ids = [...container.querySelectorAll('[id]')].map((e) => e.id)
    expect(new Set(ids).size).toBe(ids.length)
  })
})
