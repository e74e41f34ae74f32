/**
 * Freezes a value and everything it holds: for results memoised and shared across analyses (code suggestions,
 * family resolutions, 7th-character problems), so no caller can change what the next one reads.
 */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
