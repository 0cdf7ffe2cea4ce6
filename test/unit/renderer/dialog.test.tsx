/**
 * The dialog as the clerk works it from the keyboard: named by its title, Escape closes it unless
 * it is busy, Tab cycles inside it, and the focus goes back to where it was when it closes.
 */
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { useState } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Dialog } from '../../../src/renderer/src/components/Dialog'

afterEach(cleanup)

function Page({ onEscape }: { onEscape?: () => void }) {
  const [open, setOpen] = useState(false)
  return (
    <>
      <button onClick={() => setOpen(true)}>打开</button>
      {open && (
        <Dialog
          title="加注件"
          testId="d"
          {...(onEscape ? { onEscape: () => (onEscape(), setOpen(false)) } : {})}
        >
          <input aria-label="业务流水号" autoFocus />
          <button>取消</button>
          <button>确定</button>
        </Dialog>
      )}
    </>
  )
}

describe('Dialog', () => {
  it('is a modal named by its title, with the autofocus field focused', () => {
    render(<Page onEscape={() => {}} />)
    fireEvent.click(screen.getByText('打开'))
    const dialog = screen.getByRole('dialog', { name: '加注件' })
    expect(dialog.getAttribute('aria-modal')).toBe('true')
    expect(document.activeElement).toBe(screen.getByLabelText('业务流水号'))
  })

  it('keeps Tab inside, both ways', () => {
    render(<Page onEscape={() => {}} />)
    fireEvent.click(screen.getByText('打开'))
    const dialog = screen.getByRole('dialog')
    const field = screen.getByLabelText('业务流水号')
    const confirm = screen.getByText('确定')
    confirm.focus()
    fireEvent.keyDown(dialog, { key: 'Tab' })
    expect(document.activeElement).toBe(field)
    fireEvent.keyDown(dialog, { key: 'Tab', shiftKey: true })
    expect(document.activeElement).toBe(confirm)
  })

  it('closes on Escape and gives the focus back to the opener', () => {
    const escaped = vi.fn()
    render(<Page onEscape={escaped} />)
    const opener = screen.getByText('打开')
    opener.focus()
    fireEvent.click(opener)
    expect(document.activeElement).not.toBe(opener)
    fireEvent.keyDown(screen.getByLabelText('业务流水号'), { key: 'Escape' })
    expect(escaped).toHaveBeenCalledOnce()
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(document.activeElement).toBe(opener)
  })

  it('stays open on Escape while it may not be dismissed', () => {
    render(<Page />)
    fireEvent.click(screen.getByText('打开'))
    fireEvent.keyDown(screen.getByLabelText('业务流水号'), { key: 'Escape' })
    expect(screen.getByRole('dialog')).toBeTruthy()
  })
})
