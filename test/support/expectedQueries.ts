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
