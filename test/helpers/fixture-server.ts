// A real HTTP server on 127.0.0.1 for tests: routes map a path to a handler or a canned response,
// and every request is recorded so tests can assert what the product sent.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

export type Handler = (
  req: IncomingMessage & { body: string },
  res: ServerResponse,
) => void | Promise<void>

export interface FixtureServer {
  url: string
  requests: RecordedRequest[]
  route(path: string, handler: Handler | Canned): void
  close(): Promise<void>
}

export interface Canned {
  status?: number
  headers?: Record<string, string>
  body?: string | Buffer
  delayMs?: number
}

/** Starts a server; `routes` keys are paths without the query string (or `*`). */
export async function startFixtureServer(
  routes: Record<string, Handler | Canned> = {},
): Promise<FixtureServer> {
  const table = new Map(Object.entries(routes))
  const requests: RecordedRequest[] = []
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body })
    const path = (req.url ?? '/').split('?')[0]
    const handler = table.get(path) ?? table.get('*')
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no fixture')
      return
    }
    try {
      if (typeof handler === 'function') {
        await handler(Object.assign(req, { body }), res)
      } else {
        if (handler.delayMs) await new Promise((r) => setTimeout(r, handler.delayMs))
        if (res.destroyed) return
        res.writeHead(handler.status ?? 200, handler.headers ?? {})
        res.end(handler.body ?? '')
      }
    } catch (err) {
      if (!res.headersSent) res.writeHead(500).end(String(err))
    }
  })
  // Tests that abort slow requests leave sockets; don't let them keep the process alive.
  server.keepAliveTimeout = 100
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    route: (path, handler) => table.set(path, handler),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Reads a file under test/fixtures. */
export async function fixture(name: string): Promise<string> {
  const { readFile } = await import('node:fs/promises')
  return readFile(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')
}

/** Reads a file under test/fixtures as bytes (feeds in Latin-1, windows-1252, UTF-16…). */
export async function fixtureBytes(name: string): Promise<Buffer> {
  const { readFile } = await import('node:fs/promises')
  return readFile(new URL(`../fixtures/${name}`, import.meta.url))
}
