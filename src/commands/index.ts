/** The chat command language: catalog, parser, help and error replies. */
export { loadCatalog, parseCatalog, findCommand, catalogSchema, CatalogError, defaultCatalogPath } from './catalog.ts'
export type { Catalog, CommandSpec, ArgSpec, ArgType, Language, CatalogRole, Vocabulary } from './catalog.ts'
export { parse, defaultTimeZone, type ParseOptions } from './parse/parser.ts'
export type { ParseResult, ParseSuccess, ParseFailure, ParseError } from './parse/result.ts'
export type { ArgValue, ParsedArgs, When, InvalidReason } from './parse/values.ts'
export { help, commandHelp, helpReply, usage, argumentHint } from './help.ts'
export { errorReply } from './error-reply.ts'
export { suggestCommands, type Suggestion } from './suggest.ts'
