import { join } from 'node:path';
import { analyzeNote } from '../../server/src/core/analyze';
import { describeFixtures } from '../support/fixtures';
import { REPO_ROOT, services } from '../support/services';

// Development notes in real report styles: look-alikes in prose (sizes, vitals, ventilator settings, labs,
// genetics, vertebral levels...) carry no caret, so any code found there fails; every code written as one
// carries a caret with the code it is read as.
describeFixtures('code mentions on annotated notes', join(REPO_ROOT, 'test', 'fixtures', 'code-mentions'), (text) =>
  analyzeNote(text, services()).mentions.map((m) => ({ start: m.start, end: m.end, label: `${m.system} ${m.code}` })),
);
