import { tmpdir } from 'node:os'
import path from 'node:path'

/** Where bench/process-stats.ts in the frontdesk process of this key prefix (unique per run) writes its figures. */
export const statsFileOf = (prefix: string) => path.join(tmpdir(), `frontdesk-bench-stats-${prefix}.json`)
