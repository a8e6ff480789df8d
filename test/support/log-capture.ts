import { Writable } from 'node:stream'
import { pino, type Logger } from 'pino'
import { loggerOptions } from '../../src/logger.ts'

export interface CapturedLog {
  /** The process logger as production configures it (level info, redaction), writing into memory. */
  log: Logger
  /** Everything written so far, as stdout would have it. */
  text(): string
  /** What was written, one parsed object per line. */
  lines<Line = Record<string, unknown>>(): Line[]
  /** Forgets what was written, so a test reads only its own lines. */
  clear(): void
}

export function captureLog(): CapturedLog {
  let written = ''
  const sink = new Writable({
    write(chunk, _encoding, done) {
      written += chunk
      done()
    },
  })
  return {
    log: pino(loggerOptions({ NODE_ENV: 'production', LOG_LEVEL: 'info' }) as object, sink),
    text: () => written,
    lines: <Line,>() => written.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Line),
    clear: () => {
      written = ''
    },
  }
}
