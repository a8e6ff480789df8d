import { expect, it } from 'vitest'
import { arrayLiteral } from '../../src/db/pglite-arrays.ts'

it('writes PostgreSQL array literals that survive quotes, backslashes, nulls and nesting', () => {
  expect(arrayLiteral(['technician', 'admin'])).toBe('{"technician","admin"}')
  expect(arrayLiteral(['a"b', 'c\\d', null])).toBe('{"a\\"b","c\\\\d",NULL}')
  expect(arrayLiteral([['x'], []])).toBe('{{"x"},{}}')
})
