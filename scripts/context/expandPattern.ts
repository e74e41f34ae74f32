/**
 * Expands the small regular expressions of the pyConTextNLP lexicon ("(is|was) negative",
 * "no sign(s)?", "(at\s)?risk\s(in\sthe\sfuture\s)?(for|of)") into the plain phrases they match, so Calx
 * ships phrases and never regexes. Supported: literals, escaped punctuation, `\s` (a space), `\b` (nothing:
 * matching is by whole tokens anyway), groups `(...)`/`(?:...)`, alternation, and `?` after any atom;
 * whitespace runs (`\s+`, `\s*`, `[\s]*`) count as one space. Anything else (character classes such as
 * `[a-z]*`, `[\d\D\s]*`, other quantifiers) is open-ended: the pattern is reported as not expandable.
 */

/** The pattern cannot be written as a finite, small list of phrases. */
export class NotExpandable extends Error {
  override name = 'NotExpandable';
}

/** More alternatives than this means the pattern is really a template: better skipped than shipped. */
export const MAX_EXPANSIONS = 256;

/** All phrases the pattern matches, whitespace collapsed, in first-seen order without duplicates. */
export function expandPattern(pattern: string): string[] {
  const parser = new Parser(pattern);
  const out = parser.alternation();
  if (parser.pos < pattern.length) throw new NotExpandable(`unexpected "${pattern[parser.pos]}" at ${parser.pos}`);
  const phrases = out.map((p) => p.replace(/\s+/g, ' ').trim()).filter((p) => p.length > 0);
  return [...new Set(phrases)];
}

class Parser {
  pos = 0;
  constructor(private readonly src: string) {}

  alternation(): string[] {
    const options = [...this.sequence()];
    while (this.src[this.pos] === '|') {
      this.pos++;
      options.push(...this.sequence());
      this.check(options.length);
    }
    return options;
  }

  sequence(): string[] {
    let acc = [''];
    while (this.pos < this.src.length && this.src[this.pos] !== '|' && this.src[this.pos] !== ')') {
      let atom = this.atom();
      const q = this.src[this.pos];
      if (q === '?') {
        this.pos++;
        atom = [...atom, ''];
      } else if (q === '*' || q === '+' || q === '{') {
        // Only whitespace may repeat: "\s+" or "[\s]*" is one space between tokens.
        if (!atom.every((a) => a === ' ')) throw new NotExpandable(`open-ended repetition at ${this.pos}`);
        this.pos++;
        if (q === '*') atom = [' '];
      }
      acc = acc.flatMap((prefix) => atom.map((a) => prefix + a));
      this.check(acc.length);
    }
    return acc;
  }

  atom(): string[] {
    const c = this.src[this.pos]!;
    if (c === '(') {
      this.pos++;
      if (this.src.startsWith('?:', this.pos)) this.pos += 2;
      const inner = this.alternation();
      if (this.src[this.pos] !== ')') throw new NotExpandable('unbalanced parenthesis');
      this.pos++;
      return inner;
    }
    if (c === '[') {
      const close = this.src.indexOf(']', this.pos);
      const body = close < 0 ? '' : this.src.slice(this.pos + 1, close);
      if (body !== '\\s') throw new NotExpandable(`character class [${body}]`);
      this.pos = close + 1;
      return [' '];
    }
    if (c === '\\') {
      const e = this.src[this.pos + 1];
      this.pos += 2;
      if (e === 's') return [' '];
      if (e === 'b') return [''];
      if (e !== undefined && /[^A-Za-z0-9]/.test(e)) return [e];
      throw new NotExpandable(`escape \\${e ?? ''}`);
    }
    if ('.^$*+?{}'.includes(c)) throw new NotExpandable(`operator "${c}" at ${this.pos}`);
    this.pos++;
    return [c];
  }

  private check(count: number): void {
    if (count > MAX_EXPANSIONS) throw new NotExpandable(`more than ${MAX_EXPANSIONS} phrases`);
  }
}
