import type { Rule } from './types';
import { alsoMentioned, findingsMissing, slashList, specificityFinding, subject } from './specificity';

/**
 * The code depends on the cause, or the cause must be coded and sequenced first (metastatic calcification
 * after the metabolic condition; heterotopic ossification: paralytic, traumatic, after burns), and the note
 * documents none for the finding.
 */
export const missingEtiology: Rule = {
  id: 'missing-etiology',
  description: 'A finding whose coding depends on its cause (etiology) that the note does not document.',
  defaultSeverity: 'warning',
  check(ctx) {
    return findingsMissing(ctx, 'etiology', missingEtiology).map(({ finding, options, severity, also }) => {
      const concept = ctx.lexicon.concepts.get(finding.conceptId);
      const first = concept?.sequencing?.codeFirst ?? [];
      const current = finding.coding.suggested[0] ?? finding.coding.unspecified ?? finding.coding.family;
      const alternatives = options.filter((o) => !current?.startsWith(o.replace(/-$/, '')) && !first.includes(o));
      const asDocumented = current ? `${current} applies as documented; ` : '';
      // A cause that changes the family (paralytic, burns) is the question; a metabolic cause sequenced first is
      // the question only where the finding always has one (metastatic calcification).
      const message = alternatives.length
        ? `${subject(finding, ctx)} without documented cause: ${asDocumented}a documented cause can change the code (${slashList(alternatives, 5)}).`
        : first.length
          ? `${subject(finding, ctx)} without its underlying condition: document the cause and sequence its code first (e.g. ${slashList(first, 5)}).`
          : `${subject(finding, ctx)} without documented cause: ${asDocumented}document the underlying condition.`;
      // A cause documented elsewhere in the note is the query's clinical indicator, not an assumed link.
      const elsewhere = finding.etiologies.filter((e) => e.via === 'note');
      const hint = elsewhere.length
        ? ` The note documents ${elsewhere.map((e) => `${ctx.lexicon.etiologies.get(e.value)?.preferred ?? e.value} (line ${ctx.model.lineOf(e.start)})`).join(' and ')}: only the provider can state that it caused this.`
        : '';
      return specificityFinding(finding, 'etiology', options, message + hint + alsoMentioned(also), severity);
    });
  },
};
