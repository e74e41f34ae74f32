import type { Rule } from './types';
import { alsoMentioned, choiceList, findingsMissing, slashList, specificityFinding, subject } from './specificity';

/**
 * The finding needs an anatomic site to reach a specific code (or any code at all, for a bare
 * "calcification"), and the note gives none for it.
 */
export const missingSite: Rule = {
  id: 'missing-site',
  description: 'A finding whose ICD-10-CM code depends on an anatomic site that the note does not document.',
  defaultSeverity: 'warning',
  check(ctx) {
    return findingsMissing(ctx, 'site', missingSite).map(({ finding, options, missing, severity, also }) => {
      const { family, unspecified, suggested } = finding.coding;
      let message: string;
      if (!family) {
        message = `${finding.preferred} without anatomic site: no code can be chosen; document where it is (e.g. shoulder tendon, aorta, kidney, breast).`;
      } else {
        // The sites as the family's official titles name them.
        const sites = missing.choices ?? [];
        // The index's code for the tissue named ("Calcification, muscle" M61.9) is what applies as documented,
        // not the family's unspecified site (M61.40, "specified type NEC").
        const asIndexed = suggested[0] && suggested[0] !== unspecified ? suggested[0] : undefined;
        const fallback = asIndexed ? `${asIndexed} applies as documented; ` : unspecified ? `${unspecified} is the unspecified-site code; ` : '';
        const where = sites.length ? ` (${choiceList(sites, 12)})` : '';
        message = `${subject(finding, ctx)} without anatomic site: ${fallback}document the site${where}${options.length ? ` for ${slashList(options)}` : ''}.`;
      }
      return specificityFinding(finding, 'site', options, message + alsoMentioned(also), severity);
    });
  },
};
