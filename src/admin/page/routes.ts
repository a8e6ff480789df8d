import { readdirSync, readFileSync } from 'node:fs'
import { extname, join, relative, sep } from 'node:path'
import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify'

/** Only these kinds of files under this folder are served; routes.ts itself never is. */
const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
}

/**
 * The page loads its script and style from us and talks only to /admin/api, so everything else
 * (inline script, other origins, being framed) can be refused outright.
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  // Small files: always revalidate, so a deploy is visible on the next reload.
  'cache-control': 'no-cache',
}

interface Asset {
  body: Buffer
  type: string
}

/**
 * The servable files under dir, sub-folders included, keyed by their URL path ("lib/api.js").
 * Only regular files are taken: a symlink could point outside the folder.
 */
function readAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>()
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const type = CONTENT_TYPES[extname(entry.name).toLowerCase()]
    if (!type || !entry.isFile() || entry.name.startsWith('.')) continue
    const file = join(entry.parentPath, entry.name)
    const path = relative(dir, file).split(sep).join('/')
    // Plain names only, so no file can turn into a parametric or wildcard route.
    if (/^[\w./-]+$/.test(path)) assets.set(path, { body: readFileSync(file), type })
  }
  return assets
}

/**
 * Serves the admin web page at GET /admin (and /admin/) plus its modules, style and images at
 * /admin/<path>. The page holds no data, so it needs no token; every API call it makes carries the
 * token itself. Files are read once here, at start-up, so a request never touches the disk.
 */
export function adminPageRoutes(dir: string = import.meta.dirname): FastifyPluginAsync {
  const page: Asset = { body: readFileSync(join(dir, 'index.html')), type: 'text/html; charset=utf-8' }
  const assets = readAssets(dir)

  const send = (reply: FastifyReply, asset: Asset) => reply.headers(SECURITY_HEADERS).type(asset.type).send(asset.body)

  return async (app: FastifyInstance) => {
    app.get('/admin', async (_request, reply) => send(reply, page))
    app.get('/admin/', async (_request, reply) => send(reply, page))
    // One static route per file found at start-up: nothing else under /admin/ can be reached through this plugin.
    for (const [path, asset] of assets) app.get(`/admin/${path}`, async (_request, reply) => send(reply, asset))
  }
}
