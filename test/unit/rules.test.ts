import { join } from 'node:path';
import { analyzeNote } from '../../server/src/core/analyze';
import { describeFixtures } from '../support/fixtures';
import { REPO_ROOT, services } from '../support/services';

// Every diagnostic of each annotated note: range, severity, rule and message.
describeFixtures('rules on annotated fixture notes', join(REPO_ROOT, 'test', 'fixtures', 'rules'), (text) =>
  analyzeNote(text, services()).diagnostics.map((d) => ({ start: d.start, end: d.end, label: `${d.severity} ${d.ruleId}: ${d.message}` })),
);
