export { loadConfigFile, parseConfig, resolveConfig } from './load'
export { ConfigSchema, type Config, type ConfigInput } from './schema'
export { trainingConfig } from './training'
