import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeNote } from '../../server/src/core/analyze';
import { describeFixtures } from '../support/fixtures';
import { REPO_ROOT, services } from '../support/services';

// Every diagnostic of each annotated note: range, severity, rule and message.
describeFixtures('rules on annotated fixture notes', join(REPO_ROOT, 'test', 'fixtures', 'rules'), (text) =>
  analyzeNote(text, services()).diagnostics.map((d) => ({ start: d.start, end: d.end, label: `${d.severity} ${d.ruleId}: ${d.message}` })),
);

/**
 * Every code family the lexicon can lead to, reached from a sentence that names the concept (with the site
 * and cause its rule asks for): every missing-* message is whole. The choices it lists are the official
 * titles' own words (never a title cut mid-word), every code it names exists, and nothing is empty.
 */
describe('missing-* messages on every code family the lexicon leads to', () => {
  it('names the axis in whole words, with existing codes, for each family', () => {
    const s = services();
    const notes: string[] = [];
    for (const concept of s.lexicon.concepts.values()) {
      for (const rule of concept.codeFamilies) {
        const cause = rule.etiologies?.[0] ? s.lexicon.etiologies.get(rule.etiologies[0])?.variants[0] : undefined;
        for (const site of [undefined, ...(rule.sites ?? [])]) {
          const where = site ? ` of the ${s.anatomy.site(site)!.variants[0]}` : '';
          notes.push(`${concept.variants[0]}${where}${cause ? ` due to ${cause}` : ''}.`);
        }
      }
    }
    const bad: string[] = [];
    const axes = new Set<string>();
    let messages = 0;
    for (const note of notes) {
      for (const d of analyzeNote(note, s).diagnostics) {
        if (!d.ruleId.startsWith('missing-')) continue;
        messages++;
        axes.add(d.ruleId);
        const problem = (why: string) => bad.push(`${note} -> ${d.ruleId}: ${why}: ${d.message}`);
        if (/undefined|null|NaN|\(\)|\s,|\s{2}|\s\./.test(d.message) || !d.message.endsWith('.')) problem('malformed');
        for (const code of d.message.match(/\b[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?\b/g) ?? []) {
          if (!s.codes.get(code)) problem(`unknown code ${code}`);
        }
        const data = d.data as { family?: string | null; options?: string[] };
        // The choices in brackets are words of the family's official titles, whole.
        const titles: string[] = [];
        const walk = (code: string) => {
          titles.push(s.codes.get(code)!.title.toLowerCase());
          for (const c of s.codes.children(code)) walk(c.code);
        };
        if (data.family) walk(data.family);
        const bracket = /document the site \(([^)]*(?:\([^)]*\)[^)]*)*)\)|not documented \(([^)]*)\)/.exec(d.message);
        const list = bracket?.[1] ?? bracket?.[2];
        if (list && titles.length) {
          for (const choice of list.split(/, | or /).map((c) => c.replace(/ and \d+ more$/, ''))) {
            const whole = new RegExp(`(^|[^a-z0-9])${choice.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^a-z0-9])`);
            if (!titles.some((t) => whole.test(t))) problem(`"${choice}" is not whole words of a title`);
          }
        }
      }
    }
    assert.deepEqual(bad, []);
    // The walk reached each kind of message (a change that silenced one would pass the checks above).
    assert.deepEqual([...axes].sort(), ['missing-detail', 'missing-etiology', 'missing-laterality', 'missing-site']);
    assert.ok(messages >= 100, `only ${messages} messages for ${notes.length} notes`);
  });
});
