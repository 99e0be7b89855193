// A real SMTP server on 127.0.0.1 (smtp-server) that keeps every message it accepts, parsed with
// mailparser, and can refuse the next N messages with a temporary 451 (a mail-server hiccup).
import type { AddressInfo } from 'node:net'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export interface SmtpSink {
  port: number
  url: string
  messages: (ParsedMail & { raw: string; envelopeTo: string[] })[]
  /** Refuse the next `n` messages with 451. */
  failNext(n: number): void
  waitFor(count: number, timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

export async function startSmtpSink(port = 0): Promise<SmtpSink> {
  const messages: SmtpSink['messages'] = []
  let failing = 0
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', async () => {
        if (failing > 0) {
          failing--
          const err = Object.assign(new Error('try again later'), { responseCode: 451 })
          return callback(err)
        }
        const raw = Buffer.concat(chunks).toString('utf8')
        const parsed = await simpleParser(raw)
        messages.push(
          Object.assign(parsed, {
            raw,
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          }),
        )
        callback()
      })
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const actual = (server.server.address() as AddressInfo).port
  return {
    port: actual,
    url: `smtp://127.0.0.1:${actual}`,
    messages,
    failNext: (n) => {
      failing = n
    },
    async waitFor(count, timeoutMs = 5000) {
      const t0 = Date.now()
      while (messages.length < count) {
        if (Date.now() - t0 > timeoutMs)
          throw new Error(`expected ${count} messages, got ${messages.length}`)
        await new Promise((r) => setTimeout(r, 20))
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** A port nothing listens on (yet): SMTP "down". */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net')
  return new Promise((resolve) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo
      s.close(() => resolve(port))
    })
  })
}
