/**
 * The shapes ICD-10-CM codes take, read from the code set itself: which characters occur at each position of
 * a code (without its dot), and which second characters follow each first one ("QA1" from FY2027: a letter
 * second only after Q). Recognition in notes, completion prefixes and validation all use these shapes, so a
 * new shape in next year's data needs no change in the code.
 */

export interface CodeShapes {
  /** Characters (upper case) seen at each position of a code without its dot; position 0 is the first letter. */
  readonly positions: readonly string[];
  /** Second characters seen after each first character ("Q" -> "0123456789A", "U" -> "0"). */
  readonly seconds: ReadonlyMap<string, string>;
  /**
   * Regular-expression source of a code as a note may write it (either case, dot after the third character
   * or none): the category, then up to the longest code's length. Used with the `i` flag.
   */
  readonly pattern: string;
  /** Source of a code prefix being typed ("QA1.", "m75", "M7", "QA"): a category's first two characters, then the rest. */
  readonly prefixPattern: string;
}

/**
 * The shapes of the codes that `forEachCode` lists, each as text[start, end) (dotted or not, upper case):
 * characters are collected by their char codes, without cutting a string per code.
 */
export function deriveCodeShapes(forEachCode: (visit: (text: string, start: number, end: number) => void) => void): CodeShapes {
  const seen = new Uint8Array(8 * 128);
  const after = new Uint8Array(128 * 128);
  let longest = 0;
  forEachCode((text, start, end) => {
    let position = 0;
    for (let k = start; k < end; k++) {
      const c = text.charCodeAt(k);
      if (c === 46 || c >= 128 || position >= 8) continue; // the dot
      seen[position * 128 + c] = 1;
      if (position === 1) after[text.charCodeAt(start) * 128 + c] = 1;
      position++;
    }
    if (position > longest) longest = position;
  });
  const charsOf = (flags: Uint8Array, from: number) => {
    let out = '';
    for (let c = 0; c < 128; c++) if (flags[from + c]) out += String.fromCharCode(c);
    return out;
  };
  const positionChars = Array.from({ length: longest }, (_, i) => charsOf(seen, i * 128));
  const secondChars = new Map<string, string>();
  for (const first of positionChars[0] ?? '') secondChars.set(first, charsOf(after, first.charCodeAt(0) * 128));
  // First characters grouped by the letters they take second ("[A-PR-Z][0-9]|Q[0-9A]"); any digit seen second
  // follows every first letter, so that a mistyped "D91.1" is still read as a code (and reported).
  const digits = (positionChars[1] ?? '').replace(/[^0-9]/g, '');
  const groups = new Map<string, string>();
  for (const [first, second] of [...secondChars].sort()) {
    const key = digits + second.replace(/[0-9]/g, '');
    groups.set(key, (groups.get(key) ?? '') + first);
  }
  const category = [...groups].map(([second, firsts]) => `${charClass(firsts)}${charClass(second)}`).join('|');
  const third = charClass(positionChars[2] ?? '');
  const rest = positionChars.slice(3).map(charClass);
  // Positions 4.. nested, so that "M75.31" may stop after any of them: (?:[4](?:[5](?:[6][7]?)?)?)
  const tail = rest.reduceRight((inner, cls) => `${cls}${inner ? `(?:${inner})?` : ''}`, '');
  const tailPrefix = rest.reduceRight((inner, cls) => `(?:${cls}${inner})?`, '');
  return {
    positions: positionChars,
    seconds: secondChars,
    pattern: `(?:${category})${third}${tail ? `(?:\\.?${tail})?` : ''}`,
    prefixPattern: `(?:${category})(?:${third}(?:\\.?${tailPrefix})?)?`,
  };
}

/** "0123456789A" -> "[0-9A]": sorted characters as a class of ranges. */
function charClass(chars: string): string {
  const codes = [...new Set(chars)].map((c) => c.charCodeAt(0)).sort((a, b) => a - b);
  let out = '';
  for (let i = 0; i < codes.length; ) {
    let j = i;
    while (j + 1 < codes.length && codes[j + 1] === codes[j]! + 1) j++;
    const from = String.fromCharCode(codes[i]!);
    out += j - i >= 2 ? `${from}-${String.fromCharCode(codes[j]!)}` : codes.slice(i, j + 1).map((c) => String.fromCharCode(c)).join('');
    i = j + 1;
  }
  return `[${out}]`;
}
