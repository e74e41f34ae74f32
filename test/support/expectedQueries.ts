/**
 * The provider query Calx drafts for calcific tendinitis of the shoulder without a side, line by line, quoting
 * `indicators` ("- Line 2: ..."): what a quick-fix test expects after the finding's line.
 */
export function shoulderLateralityQuery(indicators: string[]): string[] {
  return [
    '[Provider query (draft by Calx; review before sending)]',
    'Clinical indicators in this record:',
    ...indicators,
    'Based on your clinical judgment, can the side (laterality) of the calcific tendinitis of shoulder be further specified?',
    '[ ] Calcific tendinitis of right shoulder',
    '[ ] Calcific tendinitis of left shoulder',
    '[ ] Both sides (right and left)',
    '[ ] Other (please specify): ____',
    '[ ] Clinically undetermined',
    '[End of query]',
  ];
}

/**
 * A note of three lines whose second documents calcific tendinitis of the shoulder without a side, with the
 * lines a fix puts above or after that line, joined by `eol`.
 */
export function shoulderNote(eol: string, inserted: { above?: string[]; after?: string[] } = {}): string {
  return ['Seen in clinic today.', ...(inserted.above ?? []), 'Calcific tendinitis of the shoulder.', ...(inserted.after ?? []), 'Seen again.', ''].join(eol);
}

/** What the provider query fix inserts after the second line of shoulderNote. */
export const SHOULDER_NOTE_QUERY = shoulderLateralityQuery(['- Line 2: "Calcific tendinitis of the shoulder."']);
