import { ConfigSchema, type Config } from './schema'

/** What the app runs with when there is no configuration file: training mode (培训模式). */
export function trainingConfig(overrides: Partial<Config> = {}): Config {
  const base = ConfigSchema.parse({
    mode: 'training',
    terminal: {
      id: 'TRAIN-01',
      unitName: '培训演示政务服务中心',
      unitCode: '11410100MB00000005',
      region: '410100',
    },
    devices: { idcard: { kind: 'simulated' }, pollIntervalMs: 150 },
  })
  return { ...base, ...overrides }
}
