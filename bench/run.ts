// `npm run bench`: runs every bench/*.bench.ts in its own process, one after the other (so they
// don't compete for the 2 cores), and prints their output. `npm run bench -- pipeline` runs one.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const dir = fileURLToPath(new URL('.', import.meta.url))
const only = process.argv.slice(2)
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only.length || only.some((o) => f.startsWith(o)))
  .sort()
let failed = 0
for (const f of files) {
  console.log(`\n=== ${f} ===`)
  const r = spawnSync(process.execPath, ['--import', 'tsx', `${dir}${f}`], { stdio: 'inherit' })
  if (r.status !== 0) {
    failed++
    console.log(`!!! ${f} exited with ${r.status}`)
  }
}
process.exit(failed ? 1 : 0)
