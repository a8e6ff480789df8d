import { readdirSync, readFileSync } from 'node:fs'
import { extname, join } from 'node:path'
import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify'

/** Only these kinds of files next to index.html are served; routes.ts itself never is. */
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
 * Serves the admin web page at GET /admin (and /admin/) plus its assets at /admin/<file>. The page
 * holds no data, so it needs no token; every API call it makes carries the token itself. Files are
 * read once here, at start-up, so a request never touches the disk.
 */
export function adminPageRoutes(dir: string = import.meta.dirname): FastifyPluginAsync {
  const page: Asset = { body: readFileSync(join(dir, 'index.html')), type: 'text/html; charset=utf-8' }
  const assets = new Map<string, Asset>()
  for (const name of readdirSync(dir)) {
    const type = CONTENT_TYPES[extname(name).toLowerCase()]
    if (type) assets.set(name, { body: readFileSync(join(dir, name)), type })
  }

  const send = (reply: FastifyReply, asset: Asset) => reply.headers(SECURITY_HEADERS).type(asset.type).send(asset.body)

  return async (app: FastifyInstance) => {
    app.get('/admin', async (_request, reply) => send(reply, page))
    app.get('/admin/', async (_request, reply) => send(reply, page))
    // One static route per file: nothing else under /admin/ can be reached through this plugin.
    for (const [name, asset] of assets) app.get(`/admin/${name}`, async (_request, reply) => send(reply, asset))
  }
}
