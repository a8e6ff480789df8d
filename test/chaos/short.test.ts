import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { ProbeRow } from '../../scripts/chaos/report.ts'
import { projectRoot } from '../support/process.ts'

// The short fault suite, as CI runs it: its own PostgreSQL and Redis, real web and worker
// processes, every fault for real. Nothing may be lost or done twice.
const dir = mkdtempSync(path.join(tmpdir(), 'chaos-test-'))
const resultFile = path.join(dir, 'result.json')
let suite: ChildProcess | undefined
// Should vitest give up first, the suite still stops what it started (its SIGTERM handler does).
afterAll(() => {
  if (suite && suite.exitCode === null) suite.kill('SIGTERM')
  rmSync(dir, { recursive: true, force: true })
})

const expectedProbes = ['a', 'b1', 'b2', 'c', 'd', 'e1', 'e2', 'f']

function runShortSuite(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = (suite = spawn(process.execPath, ['--import', 'tsx', 'scripts/chaos/run.ts', '--short'], {
      cwd: projectRoot,
      env: { ...process.env, CHAOS_RESULT_FILE: resultFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    }))
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('exit', (code) => resolve({ code, output }))
  })
}

describe('npm run chaos -- --short', () => {
  it('loses nothing and does nothing twice under any of the faults', async () => {
    const { code, output } = await runShortSuite()
    let result: { short: boolean; rows: ProbeRow[] }
    try {
      result = JSON.parse(readFileSync(resultFile, 'utf8'))
    } catch {
      throw new Error(`the chaos suite wrote no result (exit code ${code}):\n${output.slice(-3000)}`)
    }
    expect(result.short).toBe(true)
    expect(result.rows.map((r) => r.id)).toEqual(expectedProbes)
    for (const row of result.rows) {
      const context = `probe ${row.id} (${row.title}): ${[row.error, ...row.findings, ...row.crashes].filter(Boolean).join('; ')}`
      expect(row.error, context).toBeUndefined()
      expect(row.sent, context).toBeGreaterThan(0)
      expect({ probe: row.id, lost: row.lost, doubled: row.doubled }, context).toEqual({ probe: row.id, lost: 0, doubled: 0 })
      expect(row.executed, context).toBe(row.sent)
      expect(row.delivered, context).toBe(row.sent)
    }
    expect(code, output.slice(-3000)).toBe(0)
  }, 900_000)
})
