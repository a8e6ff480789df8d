/** Time comes from here, never from Date.now() in domain code, so tests can drive it. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private current: Date = new Date()) {}
  now(): Date {
    return new Date(this.current)
  }
  set(at: Date): void {
    this.current = new Date(at)
  }
  advance(ms: number): Date {
    this.current = new Date(this.current.getTime() + ms)
    return this.now()
  }
}
