/**
 * `compute` run once per object (a catalog, or a part of one) and remembered while the object
 * lives. The catalog is parsed once and never changed, so what is derived from it (folded words,
 * name patterns) need not be derived again on every parse.
 */
export function oncePerObject<Key extends object, Value>(compute: (key: Key) => Value): (key: Key) => Value {
  const computed = new WeakMap<Key, Value>()
  return (key) => {
    if (computed.has(key)) return computed.get(key) as Value
    const value = compute(key)
    computed.set(key, value)
    return value
  }
}
