/**
 * One row of the bench table: what was measured, the figure, and the target it is held to
 * (targets are ratios or bounds against a baseline measured in the same run, never wall-clock
 * figures from another machine).
 */
export interface BenchRow {
  measure: string
  value: string
  target?: string
  /** Undefined when the row is informational. */
  met?: boolean
}

/** Where a bench part may put its data: its own schema and key prefix on these servers. */
export interface BenchEnv {
  databaseUrl: string
  redisUrl: string
  /** `--full` (or BENCH_FULL=1): the long version with the issue-size loads; otherwise a short one. */
  full: boolean
}

/** A bench part: sets up what it needs, measures, cleans up, and returns its rows. */
export type BenchPart = (env: BenchEnv) => Promise<BenchRow[]>

export function printTable(rows: BenchRow[]): void {
  const lines = ['| measure | value | target | met |', '|---|---|---|---|']
  for (const row of rows) lines.push(`| ${row.measure} | ${row.value} | ${row.target ?? ''} | ${row.met === undefined ? '' : row.met ? 'yes' : 'no'} |`)
  console.log(lines.join('\n'))
}
