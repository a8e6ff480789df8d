import { tmpdir } from 'node:os'
import path from 'node:path'

/** Where bench/memory-sampler.ts in the frontdesk process of this key prefix (unique per run) appends its samples. */
export const memoryFileOf = (prefix: string) => path.join(tmpdir(), `frontdesk-bench-memory-${prefix}.jsonl`)
