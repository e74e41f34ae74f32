/**
 * Code references inside tabular notes: "bursitis NOS (M71.9-)", "(I25.1-, I25.7-, I25.81-)",
 * "neoplasms (C00-D49)". A reference covers a code when the code falls in its range or below it.
 */

export interface CodeRef {
  /** First code of the reference ("M71.9", "C00"). */
  from: string;
  /** Last category of a range ("D49" in "C00-D49"). */
  to?: string;
}

const REF = /\b([A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{0,4})?)(?:-([A-Z][0-9][0-9A-Z])\b|-|\b)/g;

/** The code references of one note, in order. */
export function codeRefs(note: string): CodeRef[] {
  const refs: CodeRef[] = [];
  for (const m of note.matchAll(REF)) refs.push({ from: m[1]!.replace(/\.$/, ''), ...(m[2] ? { to: m[2] } : {}) });
  return refs;
}

/** Whether `code` is (below) the reference: "M71.9-" covers M71.90; "C00-D49" covers C50.911; "M75.3" covers M75.31. */
export function refCovers(ref: CodeRef, code: string): boolean {
  if (ref.to) {
    const category = code.slice(0, 3);
    return ref.from <= category && category <= ref.to;
  }
  return code === ref.from || code.startsWith(ref.from.length === 3 ? `${ref.from}.` : ref.from);
}

/** "M71.9-" / "C00-D49" / "M75.3" as written for messages. */
export function refLabel(ref: CodeRef): string {
  return ref.to ? `${ref.from}-${ref.to}` : ref.from;
}
