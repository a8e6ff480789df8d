// Compiles src/ to plain JavaScript in dist/ for production: `npm start` and the Docker image run
// dist/src/main.js, so the server loads no TypeScript loader (about 60 MB less resident memory
// and a faster start than tsx). The files the code reads beside itself are copied so that the
// paths it resolves from its own location hold in dist/ too.
import { execFileSync } from 'node:child_process'
import { cpSync, rmSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const dist = path.join(root, 'dist')
const isSource = (file) => /\.tsx?$/.test(file) || file.endsWith('.md')

rmSync(dist, { recursive: true, force: true })
execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' })
// The admin page's modules and styles, the workspace stylesheet: everything in src/ that is not source.
cpSync(path.join(root, 'src'), path.join(dist, 'src'), { recursive: true, filter: (file) => !isSource(file) || path.basename(file) === 'src', force: false })
// Migrations and the command catalog, read relative to the compiled modules.
cpSync(path.join(root, 'prisma'), path.join(dist, 'prisma'), { recursive: true })
cpSync(path.join(root, 'bot-commands'), path.join(dist, 'bot-commands'), { recursive: true })
