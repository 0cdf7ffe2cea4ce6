/**
 * Window-wide keys as the clerk meets them: function keys act wherever the focus is; a letter or
 * Space acts only when the focused field or button would not use it itself.
 */
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { useHotkeys, type HotkeyMap } from '../../../src/renderer/src/hooks/useHotkeys'

afterEach(cleanup)

function Keys({ map }: { map: HotkeyMap }) {
  useHotkeys(map)
  return (
    <>
      <input aria-label="搜索" />
      <select aria-label="证照类型">
        <option>不动产权证书</option>
      </select>
      <button>核验</button>
      <div tabIndex={-1} data-testid="panel" />
    </>
  )
}

function setUp() {
  const map = { F2: vi.fn(), Escape: vi.fn(), ' ': vi.fn(), b: vi.fn(), '/': vi.fn() }
  render(<Keys map={map} />)
  return map
}

describe('useHotkeys', () => {
  it('acts on every key when nothing that takes keys has the focus', () => {
    const map = setUp()
    const panel = screen.getByTestId('panel')
    for (const key of ['F2', 'Escape', ' ', 'b', '/']) fireEvent.keyDown(panel, { key })
    for (const fn of Object.values(map)) expect(fn).toHaveBeenCalledTimes(1)
  })

  it('leaves what is typed to a text field, but not function keys', () => {
    const map = setUp()
    const field = screen.getByLabelText('搜索')
    for (const key of ['b', '/', ' ']) fireEvent.keyDown(field, { key })
    fireEvent.keyDown(field, { key: 'F2' })
    fireEvent.keyDown(field, { key: 'Escape' })
    expect(map.b).not.toHaveBeenCalled()
    expect(map['/']).not.toHaveBeenCalled()
    expect(map[' ']).not.toHaveBeenCalled()
    expect(map.F2).toHaveBeenCalledTimes(1)
    expect(map.Escape).toHaveBeenCalledTimes(1)
  })

  it('lets a letter act from a list box (B leaves bulk issuance from its type list)', () => {
    const map = setUp()
    fireEvent.keyDown(screen.getByLabelText('证照类型'), { key: 'b' })
    expect(map.b).toHaveBeenCalledTimes(1)
  })

  it('leaves Space to a focused button, which it presses; other letters still act', () => {
    const map = setUp()
    const button = screen.getByText('核验')
    const space = fireEvent.keyDown(button, { key: ' ' })
    expect(map[' ']).not.toHaveBeenCalled()
    // Not prevented: the browser goes on to press the button.
    expect(space).toBe(true)
    fireEvent.keyDown(button, { key: 'b' })
    expect(map.b).toHaveBeenCalledTimes(1)
  })
})
