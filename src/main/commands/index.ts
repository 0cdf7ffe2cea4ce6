export {
  printJson,
  UsageError,
  type Command,
  type CommandContext,
  type ParsedArgs,
} from './command'
export { commands } from './groups'
export { EXIT_USAGE, runCli } from './run'
