import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/** scrypt's cost, stored with each hash so it can be raised later without breaking old passwords. */
export interface PasswordCost {
  N: number
  r: number
  p: number
  keyLength: number
}

/** About 50 ms and 16 MiB per attempt on a small server: slow for a guesser, fine for a sign-in. */
export const DEFAULT_COST: PasswordCost = { N: 16384, r: 8, p: 1, keyLength: 32 }

export interface PasswordHash {
  hash: string
  salt: string
  cost: PasswordCost
}

export const MIN_PASSWORD_LENGTH = 10

function derive(password: string, salt: Buffer, cost: PasswordCost): Promise<Buffer> {
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 128 * cost.N * cost.r * 2 }
  return new Promise((resolve, reject) => scrypt(password.normalize('NFKC'), salt, cost.keyLength, options, (error, key) => (error ? reject(error) : resolve(key))))
}

export async function hashPassword(password: string, cost: PasswordCost = DEFAULT_COST): Promise<PasswordHash> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, cost)
  return { hash: key.toString('base64'), salt: salt.toString('base64'), cost }
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64')
  const actual = await derive(password, Buffer.from(stored.salt, 'base64'), stored.cost)
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/** Spent on unknown user names too, so the answer's timing does not tell which names exist. */
const decoy = hashPassword(randomBytes(12).toString('hex'))
export async function burnDecoyCheck(password: string): Promise<void> {
  await verifyPassword(password, await decoy)
}
