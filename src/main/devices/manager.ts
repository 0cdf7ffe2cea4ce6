/**
 * All devices behind one event stream. Each device is a driver that runs its own loop and reports
 * its state here; the manager keeps the status list the status bar shows and passes on notices.
 * What a device reads goes straight from its driver to whoever registered it, not through here.
 */
import type { DeviceKind, DeviceState, DeviceStatus } from '../../shared/domain'
import type { CounterError } from '../../shared/errors'
import type { Logger } from '../log'

export interface DeviceReporter {
  state(state: DeviceState, errorCode?: string): void
  /** A failure the clerk must see (a failed read, an unreadable chip). */
  notice(error: CounterError): void
}

export interface DeviceDriver {
  readonly id: string
  readonly kind: DeviceKind
  readonly label: string
  readonly simulated: boolean
  /** Starts the device's loop; resolves to a handle that stops it. Must not throw for a missing device: report `absent`. */
  start(report: DeviceReporter): Promise<{ stop(): Promise<void> }>
}

export interface ManagerEvents {
  statusChanged(statuses: DeviceStatus[]): void
  notice(error: CounterError, deviceId: string): void
}

export class DeviceManager {
  private readonly statusById = new Map<string, DeviceStatus>()
  private readonly drivers: DeviceDriver[] = []
  private readonly running: { stop(): Promise<void> }[] = []

  constructor(
    private readonly events: ManagerEvents,
    private readonly logger: Logger,
  ) {}

  add(driver: DeviceDriver): void {
    this.drivers.push(driver)
    this.statusById.set(driver.id, {
      id: driver.id,
      kind: driver.kind,
      label: driver.label,
      state: 'absent',
      simulated: driver.simulated,
    })
  }

  statuses(): DeviceStatus[] {
    return [...this.statusById.values()]
  }

  async start(): Promise<void> {
    for (const driver of this.drivers) {
      try {
        this.running.push(await driver.start(this.reporter(driver.id)))
      } catch (error) {
        this.logger.error('device driver failed to start', { id: driver.id, error })
        this.update(driver.id, 'error', 'INTERNAL')
      }
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.running.splice(0).map((r) => r.stop().catch(() => undefined)))
  }

  private reporter(id: string): DeviceReporter {
    return {
      state: (state, errorCode) => this.update(id, state, errorCode),
      notice: (error) => {
        this.logger.warn('device notice', { id, code: error.code, detail: error.detail })
        this.events.notice(error, id)
      },
    }
  }

  private update(id: string, state: DeviceState, errorCode?: string): void {
    const prev = this.statusById.get(id)
    if (!prev || (prev.state === state && prev.errorCode === errorCode)) return
    const { errorCode: _drop, ...rest } = prev
    const next: DeviceStatus = errorCode ? { ...rest, state, errorCode } : { ...rest, state }
    this.statusById.set(id, next)
    this.events.statusChanged(this.statuses())
  }
}
