/**
 * ICD-10-CM code spelling shared by the data build and the runtime.
 * Official files write codes without the dot ("M7531"); notes, titles and users write "M75.31".
 */
export function dotted(code: string): string {
  const bare = code.replace('.', '').toUpperCase();
  return bare.length > 3 ? `${bare.slice(0, 3)}.${bare.slice(3)}` : bare;
}

/** Fiscal year N takes effect on October 1 of year N-1. */
export function effectiveDate(fiscalYear: number): string {
  return `${fiscalYear - 1}-10-01`;
}
