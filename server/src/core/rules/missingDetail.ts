import type { Rule } from './types';
import { alsoMentioned, choiceList, findingsMissing, slashList, specificityFinding, subject } from './specificity';

/**
 * The code family differs by something that is neither site, side nor cause (obstruction, cholecystitis,
 * acuity, a complication: the words its children's official titles differ by), and the note does not say
 * which. The code the index takes when nothing is documented applies; the detail would make it exact.
 */
export const missingDetail: Rule = {
  id: 'missing-detail',
  description: 'A finding whose ICD-10-CM code depends on a detail other than site, side or cause (e.g. obstruction, acuity) that the note does not document.',
  defaultSeverity: 'information',
  check(ctx) {
    return findingsMissing(ctx, 'detail', missingDetail).map(({ finding, options, missing, severity, also }) => {
      const { unspecified, reached } = finding.coding;
      const title = reached ? ctx.codes.get(reached)?.title : undefined;
      const what = missing.name ? `whether there is ${missing.name}` : 'which applies';
      const choices = missing.choices?.length ? ` (${choiceList(missing.choices)})` : '';
      const asDocumented = unspecified ? `${unspecified} applies as documented; ` : '';
      const others = options.filter((o) => o !== unspecified);
      const message = `${title ?? subject(finding, ctx)}: ${missing.name || 'the detail its code depends on'} not documented${choices}; ${asDocumented}document ${what}${others.length ? ` for ${slashList(others)}` : ''}.`;
      return specificityFinding(finding, 'detail', options, message + alsoMentioned(also), severity);
    });
  },
};
