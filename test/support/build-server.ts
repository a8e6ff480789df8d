import { execFileSync } from 'node:child_process'
import path from 'node:path'

/**
 * Vitest global setup: compiles the server once per run, so that the tests that start frontdesk
 * as a process run what `npm start` runs (dist/ through scripts/serve.sh), not the sources.
 */
export default function buildServer(): void {
  execFileSync(process.execPath, [path.resolve(import.meta.dirname, '../../scripts/build.mjs')], { stdio: 'inherit' })
}
