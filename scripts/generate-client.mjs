// Generates the Prisma client without network access.
// The Prisma CLI insists on a native schema-engine binary it would download; `generate` only needs the
// wasm parser, so we point it at a stub that fails loudly if anything ever tries to run it.
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname))
const stub = path.join(root, 'node_modules', '.cache', 'frontdesk', 'schema-engine-stub.sh')
mkdirSync(path.dirname(stub), { recursive: true })
if (!existsSync(stub)) {
  writeFileSync(stub, '#!/bin/sh\necho "The native Prisma schema engine is not available offline; use npm run db:migrate / db:migrate:create." >&2\nexit 1\n')
  chmodSync(stub, 0o755)
}
const prismaBin = path.join(root, 'node_modules', '.bin', 'prisma')
if (!existsSync(prismaBin)) {
  console.log('prisma CLI not installed (production install?): skipping client generation')
  process.exit(0)
}
const result = spawnSync(prismaBin, ['generate'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: stub, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
})
process.exit(result.status ?? 1)
