/**
 * Replay window for signed platform requests: the signature covers the timestamp, so a captured
 * request can only be replayed while its timestamp is within `windowSeconds` of now. Dedupe by
 * event or message id still catches replays inside the window.
 */
export function isFreshTimestamp(timestampSeconds: string, now: Date, windowSeconds = 300): boolean {
  if (!/^\d{1,12}$/.test(timestampSeconds)) return false
  return Math.abs(now.getTime() / 1000 - Number(timestampSeconds)) <= windowSeconds
}
