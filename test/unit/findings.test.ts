import { join } from 'node:path';
import { analyzeNote } from '../../server/src/core/analyze';
import type { Finding } from '../../server/src/core/findings/findings';
import { describeFixtures } from '../support/fixtures';
import { REPO_ROOT, services } from '../support/services';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'findings');

/**
 * One line per finding: concept, context flags with their trigger, site/side/etiology with where they were
 * found, and the code outcome. Compact so that a fixture reads like a coder's worksheet.
 */
function describeFinding(f: Finding, text: string): string {
  const parts = [f.conceptId];
  for (const [flag, trigger] of Object.entries(f.context)) {
    parts.push(`${flag}(${trigger.via === 'section' ? 'section' : JSON.stringify(text.slice(trigger.start, trigger.end))})`);
  }
  const ev = (name: string, e: { value: string; start: number; end: number; via: string } | undefined) =>
    e && parts.push(`${name}=${e.value}@${e.via === 'concept' || e.via === 'sentence' ? JSON.stringify(text.slice(e.start, e.end)) : e.via}`);
  ev('site', f.site);
  ev('side', f.laterality);
  for (const e of f.etiologies) ev('cause', e);
  const c = f.coding;
  if (c.suggested.length) parts.push(`code=${c.suggested.join('+')}`);
  else if (c.unspecified) parts.push(`unspecified=${c.unspecified}`);
  else if (c.family) parts.push(`family=${c.family}`);
  if (c.missing.length) parts.push(`missing=${c.missing.map((m) => m.attribute).join(',')}`);
  if (c.codeFirst.length) parts.push(`first=${c.codeFirst.join(',')}`);
  return parts.join(' ');
}

describeFixtures('findings on annotated fixture notes', DIR, (text) =>
  analyzeNote(text, services()).findings.map((f) => ({ start: f.start, end: f.end, label: describeFinding(f, text) })),
);
