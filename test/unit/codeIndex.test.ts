import assert from 'node:assert/strict';
import { CodeIndex, normalizeCode } from '../../server/src/core/codes/codeIndex';
import type { ChangesFile, CodesFile, NotesFile } from '../../server/src/core/codes/schema';
import { services } from '../support/services';

const codes = () => services().codes;

describe('CodeIndex on the committed FY2027 data', () => {
  it('looks up a code with its title, billable flag, level and parent', () => {
    assert.deepEqual(codes().get('M75.31'), {
      code: 'M75.31',
      title: 'Calcific tendinitis of right shoulder',
      billable: true,
      level: 'code',
      parent: 'M75.3',
      tabularYear: 2026,
    });
    assert.equal(codes().get('M75.3')?.level, 'subcategory');
    assert.equal(codes().get('M75')?.level, 'category');
    assert.equal(codes().get('M75.33'), undefined);
  });

  it('lists children and ancestors', () => {
    assert.deepEqual(codes().children('M75.3').map((c) => c.code), ['M75.30', 'M75.31', 'M75.32']);
    assert.deepEqual(codes().ancestors('M61.451').map((c) => c.code), ['M61.45', 'M61.4', 'M61']);
    assert.deepEqual(codes().ancestors('S06.0X0A').map((c) => c.code), ['S06.0X0', 'S06.0X', 'S06.0', 'S06']);
    assert.deepEqual(codes().ancestors('T07.XXXA').map((c) => c.code), ['T07']);
  });

  it('gives the breadcrumb chapter > block > category > code', () => {
    const crumb = codes().breadcrumb('M75.31')!;
    assert.equal(crumb.chapter.id, '13');
    assert.equal(crumb.chapter.title, 'Diseases of the musculoskeletal system and connective tissue');
    assert.equal(crumb.block.id, 'M70-M79');
    assert.deepEqual(crumb.codes.map((c) => c.code), ['M75', 'M75.3', 'M75.31']);
    // C4A sits in C43-C44 although ASCII order puts it after C44.
    assert.equal(codes().breadcrumb('C4A.0')!.block.id, 'C43-C44');
  });

  it('lists billable descendants of a header', () => {
    const below = codes().billableDescendants('M61.4').map((c) => c.code);
    assert.equal(below.length, 24);
    assert.deepEqual(below.slice(0, 3), ['M61.40', 'M61.411', 'M61.412']);
    assert.deepEqual(codes().billableDescendants('R92.1').map((c) => c.code), ['R92.1']);
  });

  it('gives own and inherited notes, nearest first', () => {
    assert.deepEqual(codes().ownNotes('M75.3'), { inclusionTerm: ['Calcified bursa of shoulder'] });
    const scope = codes().notesInScope('M75.31');
    assert.deepEqual(scope.map((s) => s.from), ['M75.3', 'M75', 'chapter 13']);
    assert.deepEqual(scope[1]!.notes.excludes2, ['shoulder-hand syndrome (M89.0-)']);
    assert.ok(scope[2]!.notes.excludes2?.includes('neoplasms (C00-D49)'));
  });

  it('finds the 7th characters that apply', () => {
    const seventh = codes().seventhCharacters('S06.0X0A')!;
    assert.equal(seventh.from, 'S06');
    assert.deepEqual(seventh.values.map((v) => v.char), ['A', 'D', 'S']);
    assert.equal(codes().seventhCharacters('M75.31'), undefined);
  });

  it('knows deletions with their successors, additions and revisions', () => {
    assert.deepEqual(codes().deletions('T52.8X1A'), [
      {
        code: 'T52.8X1A',
        title: 'Toxic effect of other organic solvents, accidental (unintentional), initial encounter',
        billable: true,
        fiscalYear: 2027,
        effective: '2026-10-01',
        replacedBy: ['T52.891A'],
        nowHeader: false,
      },
    ]);
    assert.deepEqual(codes().deletions('D69.1')[0]?.replacedBy, ['D69.11', 'D69.19']);
    assert.equal(codes().addedInYear('D69.11'), 2027);
    assert.equal(codes().get('D69.11')?.tabularYear, 0);
    assert.deepEqual(codes().revision('L03.322'), { from: 'Acute lymphangitis of back [any part except buttock]', fiscalYear: 2027 });
  });

  it('searches by prefix, accepting any spelling of a code start', () => {
    assert.deepEqual(codes().prefixSearch('m75.3', 10).map((c) => c.code), ['M75.3', 'M75.30', 'M75.31', 'M75.32']);
    assert.deepEqual(codes().prefixSearch('M753', 10).map((c) => c.code), ['M75.3', 'M75.30', 'M75.31', 'M75.32']);
    assert.deepEqual(codes().prefixSearch('M75.', 3).map((c) => c.code), ['M75.0', 'M75.00', 'M75.01']);
    assert.equal(codes().prefixCount('M61.4'), 32);
    assert.deepEqual(codes().prefixSearch('not a code'), []);
  });

  it('searches words in titles and inclusion terms, last word as a prefix', () => {
    const shoulder = codes().wordSearch('calcific tendinitis right shoulder', 5).map((h) => h.code);
    assert.equal(shoulder[0], 'M75.31');
    const bursa = codes().wordSearch('calcified bursa', 10).map((h) => h.code);
    assert.ok(bursa.includes('M75.3'), 'inclusion term "Calcified bursa of shoulder" finds M75.3');
    const pineal = codes().wordSearch('mammographic calc', 3).map((h) => h.code);
    assert.equal(pineal[0], 'R92.1');
    assert.deepEqual(codes().wordSearch('   '), []);
  });
});

describe('normalizeCode', () => {
  it('spells codes as the code set does', () => {
    assert.equal(normalizeCode('m7531'), 'M75.31');
    assert.equal(normalizeCode(' M75.31 '), 'M75.31');
    assert.equal(normalizeCode('t07xxxa'), 'T07.XXXA');
    assert.equal(normalizeCode('I10'), 'I10');
    assert.equal(normalizeCode('M75..3'), undefined);
    assert.equal(normalizeCode('calcification'), undefined);
  });
});

describe('CodeIndex cross-record checks', () => {
  const codesFile = (rows: string[]): CodesFile => ({
    schemaVersion: 1,
    fiscalYear: 2027,
    effective: '2026-10-01',
    chapters: [{ id: '13', title: 'Musculoskeletal', range: 'M00-M99' }],
    blocks: [{ id: 'M70-M79', title: 'Other soft tissue disorders', chapter: '13', first: 'M70', last: 'M79' }],
    codes: rows,
  });
  const notes: NotesFile = { schemaVersion: 1, fiscalYear: 2026, chapters: {}, blocks: {}, codes: {} };
  const changes: ChangesFile = { schemaVersion: 1, years: [], deleted: [], added: [], revised: [] };

  it('builds from literal rows', () => {
    const index = new CodeIndex(codesFile(['M75\tShoulder lesions\t0\tM70-M79\t2026', 'M75.3\tCalcific tendinitis of shoulder\t0\tM75\t2026', 'M75.31\tRight\t1\tM75.3\t2026']), notes, changes);
    assert.equal(index.size, 3);
    assert.deepEqual(index.children('M75').map((c) => c.code), ['M75.3']);
  });

  it('rejects a dangling parent with the JSON path', () => {
    assert.throws(
      () => new CodeIndex(codesFile(['M75\tShoulder lesions\t0\tM70-M79\t2026', 'M75.31\tRight\t1\tM75.3\t2026']), notes, changes),
      /codes\.json: codes\[1\]: M75\.31 names parent M75\.3, which is not an ancestor in the code set/,
    );
  });

  it('rejects repeated or unordered codes and unknown blocks', () => {
    assert.throws(
      () => new CodeIndex(codesFile(['M75\tA\t0\tM70-M79\t2026', 'M75\tB\t0\tM70-M79\t2026']), notes, changes),
      /codes\[1\]: M75 is out of order or repeated/,
    );
    assert.throws(() => new CodeIndex(codesFile(['M75\tA\t0\tM80-M85\t2026']), notes, changes), /unknown block M80-M85/);
  });
});
