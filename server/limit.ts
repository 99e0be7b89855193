// Small concurrency primitives: a counting semaphore and a keyed one (per-host politeness).

export class Semaphore {
  private waiting: (() => void)[] = []
  private active = 0
  constructor(private readonly max: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((r) => this.waiting.push(r))
    this.active++
    try {
      return await fn()
    } finally {
      this.active--
      this.waiting.shift()?.()
    }
  }
}

export class KeyedSemaphore {
  private sems = new Map<string, { sem: Semaphore; users: number }>()
  constructor(private readonly max: number) {}

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let entry = this.sems.get(key)
    if (!entry) this.sems.set(key, (entry = { sem: new Semaphore(this.max), users: 0 }))
    entry.users++
    try {
      return await entry.sem.run(fn)
    } finally {
      if (--entry.users === 0) this.sems.delete(key)
    }
  }
}
