import type { Tally } from './tally.ts'

export interface ProbeRow extends Tally {
  id: string
  title: string
  /** Processes that died by themselves during the probe (and were started again). */
  crashes: string[]
  /** The probe itself could not run to the end. */
  error?: string
}

/** The result table, in Markdown so it can go into the README as printed. */
export function markdownTable(rows: ProbeRow[]): string {
  const escape = (text: string) => text.replaceAll('|', '\\|')
  const lines = ['| probe | sent | executed | delivered | lost | doubled |', '|---|---:|---:|---:|---:|---:|']
  for (const row of rows) {
    const probe = `${row.id}. ${escape(row.title)}${row.error ? ` (could not finish: ${escape(row.error)})` : ''}`
    lines.push(`| ${probe} | ${row.sent} | ${row.executed} | ${row.delivered} | ${row.lost} | ${row.doubled} |`)
  }
  return lines.join('\n')
}
