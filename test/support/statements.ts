import pg from 'pg'

export interface CapturedStatement {
  text: string
  values: unknown[]
}

/**
 * Runs `work` and returns every statement sent to PostgreSQL while it ran, from this process:
 * Prisma's PostgreSQL adapter and the raw SQL pool both send each one through pg.Client#query,
 * so wrapping it for the duration sees them all.
 */
export async function statementsOf(work: () => Promise<unknown>): Promise<CapturedStatement[]> {
  const captured: CapturedStatement[] = []
  const original = pg.Client.prototype.query
  pg.Client.prototype.query = function capture(this: pg.Client, ...args: unknown[]) {
    const config = args[0] as { text?: string; values?: unknown[] } | string
    const text = typeof config === 'string' ? config : config?.text
    if (text) captured.push({ text, values: (typeof config === 'string' ? (args[1] as unknown[]) : config.values) ?? [] })
    return (original as (...a: unknown[]) => unknown).apply(this, args)
  } as typeof pg.Client.prototype.query
  try {
    await work()
  } finally {
    pg.Client.prototype.query = original
  }
  return captured
}

/** The SELECTs among `statementsOf(work)`: the statements that have a plan worth reading. */
export async function selectsOf(work: () => Promise<unknown>): Promise<CapturedStatement[]> {
  return (await statementsOf(work)).filter((statement) => /^\s*SELECT/i.test(statement.text))
}

/** One line per statement for a failure message: no per-test schema prefix, no line breaks. */
export function briefly(statement: CapturedStatement): string {
  return statement.text.replace(/"t_[a-z0-9_]+"\./g, '').replace(/\s+/g, ' ').slice(0, 160)
}

export interface PlanNode {
  'Node Type': string
  'Relation Name'?: string
  'Index Name'?: string
  'Actual Rows': number
  'Actual Loops': number
  'Rows Removed by Filter'?: number
  'Rows Removed by Index Recheck'?: number
  Plans?: PlanNode[]
}

/** EXPLAIN ANALYZE of each statement, with the client's search_path already on the right schema. */
export async function plansOf(client: pg.Client, statements: CapturedStatement[]): Promise<{ text: string; plan: PlanNode }[]> {
  const plans = []
  for (const statement of statements) {
    const result = await client.query({ text: `EXPLAIN (ANALYZE, FORMAT JSON) ${statement.text}`, values: statement.values })
    plans.push({ text: statement.text, plan: (result.rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0].Plan })
  }
  return plans
}
