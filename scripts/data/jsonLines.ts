/**
 * Deterministic JSON with one record per line, so the committed data diffs line by line when a new
 * release changes a few codes. `arrays` names the top-level keys whose array items (or object
 * entries) each get their own line; everything else is written compactly.
 */
export function stringifyLines(value: Record<string, unknown>, arrays: readonly string[]): string {
  const parts = Object.entries(value).map(([key, v]) => {
    const name = JSON.stringify(key);
    if (!arrays.includes(key)) return `${name}: ${JSON.stringify(v)}`;
    if (Array.isArray(v)) {
      return v.length === 0 ? `${name}: []` : `${name}: [\n${v.map((item) => JSON.stringify(item)).join(',\n')}\n]`;
    }
    const entries = Object.entries(v as Record<string, unknown>);
    return entries.length === 0
      ? `${name}: {}`
      : `${name}: {\n${entries.map(([k, item]) => `${JSON.stringify(k)}: ${JSON.stringify(item)}`).join(',\n')}\n}`;
  });
  return `{\n${parts.join(',\n')}\n}\n`;
}
