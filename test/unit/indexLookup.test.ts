/**
 * index.lookup follows paths as "see" references write them: a main term by one of its word forms ("see
 * Calculus, kidney" is "Calculus, calculi, calculous" > "kidney"), a subterm by a form, an alternative, or
 * without NEC / NOS, a "with ..." part through the subterm "with", and a "by site" instruction ends the walk.
 */
import assert from 'node:assert/strict';
import { searchCodes } from '../../server/src/core/codes/search';
import { services } from '../support/services';

const found = (path: string) => {
  const m = services().alphabeticIndex().lookup(path);
  return m && `${m.path.map((t) => t.t).join(' > ')} :: ${m.term.code ?? m.term.see ?? ''}`;
};

describe('alphabetic index lookup of "see" references', () => {
  it('finds a main term by a form of its title ("Gout, gouty", "Calculus, calculi, calculous")', () => {
    assert.equal(found('Gout'), 'Gout, gouty :: M10.9');
    assert.equal(found('Gout, chronic'), 'Gout, chronic :: M1A.9');
    assert.equal(found('Arteriosclerosis'), 'Arteriosclerosis, arteriosclerotic :: I70.90');
    assert.equal(found('Calculus, kidney'), 'Calculus, calculi, calculous > kidney :: N20.0');
    assert.equal(found('Tuberculosis, lymph gland'), 'Tuberculosis, tubercular, tuberculous > lymph gland or node :: A18.2');
  });

  it('finds a plural by "(s)", a title without its NEC and a title without its parenthesized words', () => {
    assert.equal(found('Complications, postprocedural'), 'Complication > postprocedural :: ');
    assert.equal(found('Hydronephrosis'), 'Hydronephrosis NEC :: N13.30');
    // The reference without its parenthesized words; the title's essential "sinus" stands among the modifiers.
    assert.equal(found('Phlebitis, intracranial sinus'), 'Phlebitis > intracranial :: G08');
  });

  it('walks "with ..." through the subterm "with", alternatives joined by "or", and a qualifier left out', () => {
    assert.equal(found('Abuse, drug, sedative, with intoxication'), 'Abuse > drug NEC > sedative, hypnotic or anxiolytic > with > intoxication :: F13.129');
    assert.equal(found('Injury, intracranial, subdural hemorrhage'), 'Injury > intracranial > subdural hemorrhage, traumatic :: S06.5X-');
  });

  it('stops at an instruction ("by site") and finds nothing for a path that is not in the index', () => {
    assert.equal(found('Ulcer, pressure, by site'), 'Ulcer, ulcerated, ulcerating, ulceration, ulcerative > pressure :: L89.9-');
    assert.equal(found('Calculus, moon'), undefined);
    assert.equal(found('Gouty'), 'Gout, gouty :: M10.9');
  });

  it('lets a search reach a code only a reference leads to ("Pneumorrhagia" -- see Hemorrhage, lung)', () => {
    const hits = searchCodes(services().codes, services().alphabeticIndex(), 'pneumorrhagia', 1, services());
    assert.deepEqual(hits.map((h) => [h.code, h.indexPath]), [['R04.89', 'Pneumorrhagia > Hemorrhage, hemorrhagic, lung']]);
  });

  it('counts a text word for one query word only, so a followed reference reaches the subterm the query names', () => {
    // "coronary" is a site whose title words hold "artery": it must not take the "artery" of "Ossification, artery".
    const hits = searchCodes(services().codes, services().alphabeticIndex(), 'ossification coronary artery', 1, services());
    assert.deepEqual(hits.map((h) => [h.code, h.indexPath]), [['I25.10', 'Ossification, artery > Arteriosclerosis, arteriosclerotic, coronary']]);
  });

  it('follows a reference in the index it is written in (an external cause names an external cause)', () => {
    const hits = searchCodes(services().codes, services().alphabeticIndex(), 'accident bus', 1, services());
    assert.deepEqual(hits.map((h) => [h.code, h.indexPath]), [['V79.9XXA', 'Accident, bus > Accident, transport, bus occupant']]);
    assert.equal(services().alphabeticIndex().lookup('Accident, transport, bus occupant', 'external-causes')?.term.code, 'V79.9');
  });
});
