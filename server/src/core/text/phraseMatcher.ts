/**
 * Matches a whole vocabulary of phrases against a note's tokens in one pass: a trie over normalised
 * tokens, walked from each word. Case-, accent- and hyphen/space-insensitive ("right-sided" = "right
 * sided"; "chondro-calcinosis" = "chondrocalcinosis"), whole words only ("decalcification" never matches
 * "calcification"). No regular expressions from the vocabulary are ever run: custom term files cannot make
 * matching slow. Cost: O(tokens x longest phrase).
 */
import { foldCase, tokenize, type Tokens } from './tokens';
import { idOf, registerWords, wordTable } from './vocabulary';

export interface PhraseMatch<T> {
  /** Index of the first token of the match. */
  tokenStart: number;
  /** Index just after the last token. */
  tokenEnd: number;
  /** UTF-16 offsets of the matched text. */
  start: number;
  end: number;
  /** The vocabulary entry's value (e.g. a concept id). */
  value: T;
  /** The phrase as the vocabulary wrote it. */
  phrase: string;
}

interface Node<T> {
  next: Map<string, Node<T>>;
  /** The same children by their key's word id (vocabulary.ts), for tokens that have one (`Tokens.knownId`). */
  byId: Map<number, Node<T>>;
  entry?: { value: T; phrase: string };
}

const FIRST_WORD = 1;
const EXACT_WORD = 2;

/** Token `i` exists and is a hyphen. */
function isHyphen(tokens: Tokens, i: number): boolean {
  if (i >= tokens.length || !tokens.isPunct(i)) return false;
  const norm = tokens.norm(i);
  return norm === '-' || norm === '‐' || norm === '–';
}

/** Phrase -> normalised key tokens: hyphens dropped, so "right-sided" and "right sided" share a key. */
function phraseKeys(phrase: string): string[] {
  const tokens = tokenize(phrase);
  const keys: string[] = [];
  for (let i = 0; i < tokens.length; i++) if (!isHyphen(tokens, i)) keys.push(tokens.norm(i));
  return keys;
}

export class PhraseMatcher<T> {
  private readonly root: Node<T> = { next: new Map(), byId: new Map() };
  /** By word id: FIRST_WORD when the trie's first level has the word, EXACT_WORD when an exact-case phrase folds to it. */
  private readonly firstWords: Int32Array;
  /** The trie's first level by word id (as `root.byId`, read without hashing: every match starts there). */
  private readonly rootById: Array<Node<T> | undefined>;
  private readonly exact = new Map<string, { value: T; phrase: string }>();
  /** The exact-case phrases' normalised forms: a token whose form is not here cannot be one (no slicing). */
  private readonly exactNorms = new Set<string>();
  private maxLength = 0;
  /** Every key inserted, registered with the vocabulary once the trie is built. */
  private readonly keys = new Set<string>();
  /** The keys that are a punctuation character (".", "/"): a match may run over such a token. */
  private readonly punctuation = new Set<string>();

  /**
   * @param entries phrases with their values; a phrase added twice keeps its first value.
   * @param exactCase single-token phrases matched only as written ("R", "L" for right and left).
   */
  constructor(entries: Iterable<{ phrase: string; value: T }>, exactCase: Iterable<{ phrase: string; value: T }> = []) {
    for (const { phrase, value } of entries) {
      this.insert(phraseKeys(phrase), { value, phrase });
      // A hyphenated phrase also matches written as one word ("chondro-calcinosis" -> "chondrocalcinosis").
      if (/[-‐–]/.test(phrase)) this.insert([phraseKeys(phrase).join('')], { value, phrase });
    }
    for (const { phrase, value } of exactCase) {
      if (this.exact.has(phrase)) continue;
      this.exact.set(phrase, { value, phrase });
      this.exactNorms.add(foldCase(phrase));
    }
    registerWords(this.exactNorms);
    registerWords(this.keys);
    this.keys.clear();
    const first = new Map<string, number>();
    for (const w of this.root.next.keys()) first.set(w, FIRST_WORD);
    for (const w of this.exactNorms) first.set(w, (first.get(w) ?? 0) | EXACT_WORD);
    this.firstWords = wordTable(first);
    const index = (node: Node<T>): void => {
      for (const [key, child] of node.next) {
        node.byId.set(idOf(key), child);
        index(child);
      }
    };
    index(this.root);
    this.rootById = new Array<Node<T> | undefined>(this.firstWords.length).fill(undefined);
    for (const [id, child] of this.root.byId) this.rootById[id] = child;
  }

  private insert(keys: string[], entry: { value: T; phrase: string }): void {
    if (keys.length === 0) return;
    for (const key of keys) {
      this.keys.add(key);
      if (key.length === 1 && !/[\p{L}\p{N}]/u.test(key)) this.punctuation.add(key);
    }
    let node = this.root;
    for (const key of keys) {
      let child = node.next.get(key);
      if (!child) {
        child = { next: new Map(), byId: new Map() };
        node.next.set(key, child);
      }
      node = child;
    }
    node.entry ??= entry;
    this.maxLength = Math.max(this.maxLength, keys.length);
  }

  /**
   * All matches in `tokens[from, to)`, longest first at each start, non-overlapping, in text order.
   * `text` is needed only for exact-case entries.
   */
  match(text: string, tokens: Tokens, from = 0, to = tokens.length): PhraseMatch<T>[] {
    const out: PhraseMatch<T>[] = [];
    let i = from;
    while (i < to) {
      const found = this.longestAt(text, tokens, i, to);
      if (found) {
        out.push(found);
        i = found.tokenEnd;
      } else i++;
    }
    return out;
  }

  /**
   * The normalised forms a match can start with (first words, hyphen-joined first words, exact-case
   * phrases): a token whose form is none of these starts no match. Several matchers run over the same tokens
   * can share one test of that (see `matchFrom`).
   */
  startWords(): string[] {
    return [...this.root.next.keys(), ...this.exactNorms];
  }

  /**
   * A match may hold the punctuation token `c` (some phrase has it as a word). When it may not, no match runs
   * over it: a walk stops at a punctuation token the trie has no key for, and only a hyphen between two words
   * is skipped.
   */
  mayHold(c: string): boolean {
    return this.punctuation.has(c);
  }

  /**
   * As `match` over all of `tokens`, trying only the `starts` given (ascending token indexes): every index
   * where this matcher could start a match must be among them (`candidateStarts` with its `startWords`).
   */
  matchFrom(text: string, tokens: Tokens, starts: readonly number[]): PhraseMatch<T>[] {
    const out: PhraseMatch<T>[] = [];
    let next = 0;
    for (const i of starts) {
      if (i < next) continue;
      const found = this.longestAt(text, tokens, i, tokens.length);
      if (found) {
        out.push(found);
        next = found.tokenEnd;
      }
    }
    return out;
  }

  /**
   * The longest match that starts at token `i` and ends by token `to`, if any: what `match(text, tokens, i,
   * to)[0]` gives when its first match starts at `i`, without looking at the tokens after `i` for others.
   */
  matchAt(text: string, tokens: Tokens, i: number, to = tokens.length): PhraseMatch<T> | undefined {
    return i < to ? this.longestAt(text, tokens, i, to) : undefined;
  }

  private longestAt(text: string, tokens: Tokens, i: number, to: number): PhraseMatch<T> | undefined {
    // Every key below is a registered word: a token that is none (`known` undefined) matches none of them.
    const id = tokens.knownId(i);
    let first = 0;
    if (id !== 0) first = id < this.firstWords.length ? this.firstWords[id]! : 0;
    else {
      const norm = tokens.known(i);
      if (norm !== undefined) first = (this.root.next.has(norm) ? FIRST_WORD : 0) | (this.exactNorms.has(norm) ? EXACT_WORD : 0);
    }
    const exact = first & EXACT_WORD ? this.exact.get(text.slice(tokens.start(i), tokens.end(i))) : undefined;
    // Most tokens start no phrase: reject them before any walk (the trie's first level, or a hyphen-joined
    // compound "chondro-calcinosis" whose joined key is there).
    if (!exact && !(first & FIRST_WORD) && !this.joinedChild(this.root, tokens, i)) return undefined;
    // A single letter glued to a word is part of it ("L-spine"); a longer short form is not ("L5-S1", "CBD-stone").
    const best = exact && !(exact.phrase.length === 1 && isWordJoined(tokens, i)) ? this.result(tokens, i, i + 1, exact) : undefined;
    return this.walk(tokens, i, to, this.root, i, 0, best);
  }

  /**
   * Depth-first over the trie; at each step the next token may also be a hyphen-joined compound. Returns the
   * longest match found so far (`best`, or a longer one below `node`).
   */
  private walk(tokens: Tokens, i: number, to: number, node: Node<T>, j: number, depth: number, best: PhraseMatch<T> | undefined): PhraseMatch<T> | undefined {
    if (node.entry && j > i && (!best || j > best.tokenEnd)) best = this.result(tokens, i, j, node.entry);
    if (j >= to || depth >= this.maxLength) return best;
    let k = j;
    if (j > i && isHyphen(tokens, k) && !tokens.spaceBefore(k)) k++; // "right-sided": skip the hyphen
    if (k >= tokens.length) return best;
    const id = tokens.knownId(k);
    let child: Node<T> | undefined;
    if (id !== 0) child = node === this.root ? this.rootById[id] : node.byId.get(id);
    else {
      const norm = tokens.known(k);
      child = norm === undefined ? undefined : node.next.get(norm);
    }
    if (tokens.isPunct(k) && !child) return best;
    if (child) best = this.walk(tokens, i, to, child, k + 1, depth + 1, best);
    // "chondro-calcinosis" written with a hyphen, phrase written as one word.
    const joined = this.joinedChild(node, tokens, k);
    if (joined) best = this.walk(tokens, i, to, joined, k + 3, depth + 1, best);
    return best;
  }

  /** The child for token k glued by a hyphen to the word after it ("chondro" "-" "calcinosis"), if any. */
  private joinedChild(node: Node<T>, tokens: Tokens, k: number): Node<T> | undefined {
    return isJoined(tokens, k) ? node.next.get(tokens.norm(k) + tokens.norm(k + 2)) : undefined;
  }

  private result(tokens: Tokens, i: number, j: number, entry: { value: T; phrase: string }): PhraseMatch<T> {
    return { tokenStart: i, tokenEnd: j, start: tokens.start(i), end: tokens.end(j - 1), value: entry.value, phrase: entry.phrase };
  }
}

/** Token k (any token) is glued by a hyphen to a word after it: "chondro" "-" "calcinosis". */
function isJoined(tokens: Tokens, k: number): boolean {
  return k + 2 < tokens.length && isHyphen(tokens, k + 1) && !tokens.spaceBefore(k + 1) && !tokens.spaceBefore(k + 2) && tokens.isWord(k + 2);
}

/** A single letter glued to a word by a hyphen or apostrophe ("L-spine", "R's") is not a side. */
function isWordJoined(tokens: Tokens, i: number): boolean {
  return i + 1 < tokens.length && !tokens.spaceBefore(i + 1) && (tokens.isWord(i + 1) || isHyphen(tokens, i + 1));
}

/**
 * Indexes of the tokens that may start a match of a matcher whose `startWords` are in `words`: the token's
 * form is one of them, or, glued by a hyphen to the next word, the two joined are ("chondro-calcinosis").
 * `words` must be registered words (vocabulary.ts), as every matcher's `startWords` are.
 */
export function candidateStarts(tokens: Tokens, words: ReadonlySet<string>): number[] {
  const starts: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const norm = tokens.known(i);
    if ((norm !== undefined && words.has(norm)) || (isJoined(tokens, i) && words.has(tokens.norm(i) + tokens.norm(i + 2)))) starts.push(i);
  }
  return starts;
}

/**
 * The start words of several matchers (at most 31) at once, for scanning the same tokens with each: one look-up
 * per token finds which matchers its form (or, glued by a hyphen to the next word, the two joined) may start a
 * match of, so each matcher is then tried only where it may match. With one list of starts for all of them,
 * each matcher was tried at every other matcher's starts too, and rejected most of them one by one.
 */
export class StartWords {
  /** For each start word, a bit per matcher that may start a match with it. */
  private readonly masks = new Map<string, number>();
  /** The same by word id (vocabulary.ts), for tokens that have one (`Tokens.knownId`). */
  private readonly masksById: Int32Array;

  constructor(private readonly matchers: readonly PhraseMatcher<unknown>[]) {
    if (matchers.length > 31) throw new Error('StartWords: at most 31 matchers');
    matchers.forEach((m, k) => {
      for (const w of m.startWords()) this.masks.set(w, (this.masks.get(w) ?? 0) | (1 << k));
    });
    this.masksById = wordTable(this.masks);
  }

  /**
   * For each matcher, in the order given, the indexes of the tokens that may start one of its matches: what
   * `candidateStarts` gives with its `startWords`.
   */
  startsOf(tokens: Tokens): number[][] {
    const starts = this.matchers.map((): number[] => []);
    const { masks, masksById } = this;
    for (let i = 0; i < tokens.length; i++) {
      const id = tokens.knownId(i);
      let mask = 0;
      if (id !== 0) mask = id < masksById.length ? masksById[id]! : 0;
      else {
        const norm = tokens.known(i);
        if (norm !== undefined) mask = masks.get(norm) ?? 0;
      }
      if (isJoined(tokens, i)) mask |= masks.get(tokens.norm(i) + tokens.norm(i + 2)) ?? 0;
      for (let k = 0; mask !== 0; k++, mask >>>= 1) if (mask & 1) starts[k]!.push(i);
    }
    return starts;
  }
}
