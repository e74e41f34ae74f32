import sax from 'sax';

/** Instructional note kinds of the tabular list, in the order the tabular prints them. */
export const NOTE_KINDS = [
  'notes',
  'includes',
  'inclusionTerm',
  'excludes1',
  'excludes2',
  'codeFirst',
  'useAdditionalCode',
  'codeAlso',
  'sevenChrNote',
] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];

export interface SeventhCharacter {
  char: string;
  text: string;
}

export type NoteSet = Partial<Record<NoteKind, string[]>> & { sevenChrDef?: SeventhCharacter[] };

export interface TabularChapter {
  id: string;
  title: string;
  range: string;
  notes: NoteSet;
}
export interface TabularBlock {
  id: string;
  title: string;
  chapter: string;
  first: string;
  last: string;
  notes: NoteSet;
}
export interface TabularDiag {
  code: string;
  title: string;
  /** Enclosing diag's code, or the block id for a category. */
  parent: string;
  notes: NoteSet;
}
export interface Tabular {
  version: string;
  chapters: TabularChapter[];
  blocks: TabularBlock[];
  diags: TabularDiag[];
}

interface Frame {
  tag: string;
  text: string;
  attrs: Record<string, string>;
  /** The chapter, block or diag this element belongs to, for note containers. */
  owner?: { notes: NoteSet };
  ownerKind?: 'chapter' | 'block' | 'diag';
  name?: string;
  desc?: string;
}

const NOTE_KIND_SET = new Set<string>(NOTE_KINDS);
const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Streams the CDC/NCHS tabular XML into chapters, blocks (sections) and diags with their notes. */
export function parseTabular(xml: string): Tabular {
  const parser = sax.parser(true, { trim: false, normalize: false });
  const out: Tabular = { version: '', chapters: [], blocks: [], diags: [] };
  const stack: Frame[] = [];
  const owners: Array<{ kind: 'chapter' | 'block' | 'diag'; record: TabularChapter | TabularBlock | TabularDiag }> = [];
  let noteContainer: NoteKind | 'sevenChrDef' | undefined;
  let skipDepth = 0; // inside <introduction>, <sectionIndex>, <visualImpairment>

  const top = () => stack[stack.length - 1];
  const owner = () => owners[owners.length - 1];

  parser.onerror = (e) => {
    throw new Error(`tabular XML: ${e.message}`);
  };
  parser.onopentag = (node) => {
    const attrs = node.attributes as Record<string, string>;
    stack.push({ tag: node.name, text: '', attrs });
    if (skipDepth > 0 || ['introduction', 'sectionIndex', 'visualImpairment'].includes(node.name)) {
      skipDepth++;
      return;
    }
    switch (node.name) {
      case 'chapter': {
        const record: TabularChapter = { id: '', title: '', range: '', notes: {} };
        owners.push({ kind: 'chapter', record });
        out.chapters.push(record);
        break;
      }
      case 'section': {
        const chapter = out.chapters[out.chapters.length - 1]!;
        const id = attrs.id ?? '';
        const [first, last] = id.includes('-') ? id.split('-') : [id, id];
        const record: TabularBlock = { id, title: '', chapter: chapter.id, first: first!, last: last!, notes: {} };
        owners.push({ kind: 'block', record });
        out.blocks.push(record);
        break;
      }
      case 'diag': {
        const up = owner()!;
        const parent = up.kind === 'block' ? (up.record as TabularBlock).id : (up.record as TabularDiag).code;
        const record: TabularDiag = { code: '', title: '', parent, notes: {} };
        owners.push({ kind: 'diag', record });
        out.diags.push(record);
        break;
      }
      default:
        if (NOTE_KIND_SET.has(node.name) || node.name === 'sevenChrDef') noteContainer = node.name as NoteKind;
    }
  };
  parser.ontext = (t) => {
    const f = top();
    if (f) f.text += t;
  };
  parser.oncdata = parser.ontext;
  parser.onclosetag = (name) => {
    const f = stack.pop()!;
    if (skipDepth > 0) {
      skipDepth--;
      return;
    }
    const text = collapse(f.text);
    const parentTag = top()?.tag;
    const own = owner();
    switch (name) {
      case 'version':
        out.version = text;
        break;
      case 'name':
        if (own?.kind === 'chapter' && parentTag === 'chapter') (own.record as TabularChapter).id = text;
        if (own?.kind === 'diag' && parentTag === 'diag') (own.record as TabularDiag).code = text;
        break;
      case 'desc':
        if (!own || parentTag !== own.kind.replace('block', 'section')) break;
        if (own.kind === 'chapter') {
          const m = /^(.*) \(([A-Z0-9]{3}-[A-Z0-9]{3})\)$/.exec(text);
          if (!m) throw new Error(`chapter ${(own.record as TabularChapter).id}: no range in "${text}"`);
          (own.record as TabularChapter).title = m[1]!;
          (own.record as TabularChapter).range = m[2]!;
        } else if (own.kind === 'block') {
          (own.record as TabularBlock).title = text.replace(/ \([A-Z0-9]{3}(-[A-Z0-9]{3})?\)$/, '');
        } else {
          (own.record as TabularDiag).title = text;
        }
        break;
      case 'note':
        if (noteContainer && noteContainer !== 'sevenChrDef' && own) {
          (own.record.notes[noteContainer] ??= []).push(text);
        }
        break;
      case 'extension':
        if (noteContainer === 'sevenChrDef' && own) {
          (own.record.notes.sevenChrDef ??= []).push({ char: f.attrs.char ?? '', text });
        }
        break;
      case 'chapter':
      case 'section':
      case 'diag':
        owners.pop();
        break;
      default:
        if (name === noteContainer) noteContainer = undefined;
    }
  };
  parser.write(xml).close();
  return out;
}
