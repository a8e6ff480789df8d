interface CachedToken {
  token: string
  /** Epoch ms after which the token is no longer used. */
  refreshAt: number
}

/**
 * Access-token cache shared by the platform clients (Lark tenant_access_token, WeCom access_token):
 * one per process, keyed by whatever identifies the credential (base URL plus app).
 */
export class TokenCache {
  private readonly tokens = new Map<string, CachedToken>()
  private readonly pending = new Map<string, Promise<string>>()

  get(key: string, now: number): string | undefined {
    const entry = this.tokens.get(key)
    return entry && entry.refreshAt > now ? entry.token : undefined
  }
  set(key: string, token: string, refreshAt: number): void {
    this.tokens.set(key, { token, refreshAt })
  }
  delete(key: string): void {
    this.tokens.delete(key)
  }
  /** Runs one fetch per key at a time, so concurrent sends share a token request. */
  once(key: string, fetchToken: () => Promise<string>): Promise<string> {
    const running = this.pending.get(key)
    if (running) return running
    const promise = fetchToken().finally(() => this.pending.delete(key))
    this.pending.set(key, promise)
    return promise
  }
}
