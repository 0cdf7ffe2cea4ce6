export { printJson, type Command, type CommandContext, type ParsedArgs } from './command'
export { commands } from './groups'
export { runCli } from './run'
