import type { Rule } from './types';
import { alsoMentioned, findingsMissing, slashList, specificityFinding, subject } from './specificity';

/**
 * The code family distinguishes right and left but the note documents no side for the finding
 * (Guidelines I.B.13: the unspecified-side code is the last resort, and payers reject it more and more).
 */
export const missingLaterality: Rule = {
  id: 'missing-laterality',
  description: 'A finding whose ICD-10-CM code depends on the side (right, left, bilateral) that the note does not document.',
  defaultSeverity: 'warning',
  check(ctx) {
    return findingsMissing(ctx, 'laterality', missingLaterality).map(({ finding, options, severity, also }) => {
      const fallback = finding.coding.unspecified ? `${finding.coding.unspecified} is the unspecified-side code; ` : '';
      const message = `${subject(finding, ctx)} without side: ${fallback}document right or left${options.length ? ` for ${slashList(options)}` : ''}.`;
      return specificityFinding(finding, 'laterality', options, message + alsoMentioned(also), severity);
    });
  },
};
