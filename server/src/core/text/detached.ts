/**
 * A string that shares no storage with the text it was cut from.
 *
 * V8 makes a slice of 13 characters or more a view into the string it was cut from (a "sliced string"), and
 * that whole string stays alive as long as the view does. A document's ScanCache keeps a paragraph's scan for
 * as long as the paragraph is not edited, through any number of edits elsewhere: a header title cut from the
 * paragraph kept the whole note, as it was when the paragraph was last scanned, alive with it. After a few
 * hundred edits an open 100 KB note held dozens of its old versions (issue 18). Strings a scan keeps that are
 * cut from the note as they stand go through here (header titles; a token's folded form is made anew, and
 * code mentions are shorter than a view).
 */
export function detached(s: string): string {
  // Shorter slices are copied by V8 itself; a string joined from characters is a flat string of its own.
  return s.length < 13 ? s : s.split('').join('');
}
