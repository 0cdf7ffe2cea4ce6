export { assertModeRules, loadConfigFile, parseConfig, resolveConfig } from './load'
export { modeProblems, type ModeProblem } from './modes'
export { ConfigSchema, type Config, type ConfigInput } from './schema'
export { trainingConfig } from './training'
