// Entry point of `npm start`: parse the environment, start Vigie, stop gracefully on signals.
import { ConfigError, parseConfig } from './config'
import { start, startupProblem } from './start'

async function main() {
  let config
  try {
    config = parseConfig(process.env)
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`vigie: ${err.message}`)
      process.exit(2)
    }
    throw err
  }
  let running
  try {
    running = await start(config)
  } catch (err) {
    const line = startupProblem(err, config)
    if (line === undefined) throw err
    // a config file reports all its problems, one per line
    for (const l of line.split('\n')) console.error(`vigie: ${l}`)
    process.exit(2)
  }
  console.log(`Vigie is running on ${running.url}`)
  if (running.setupUrl)
    console.log(
      `No account yet. Create the first administrator (link valid 24 h, single use):\n  ${running.setupUrl}`,
    )
  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    running.ctx.log.info('shutting down', { signal })
    await running.stop()
    process.exit(0)
  }
  process.on('SIGINT', () => void shutdown('SIGINT'))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
}

main().catch((err) => {
  console.error(`vigie: ${(err as Error).stack ?? err}`)
  process.exit(1)
})
