/**
 * Shared by the specificity rules (missing-site, missing-laterality, missing-etiology): which findings they
 * speak about and how they name them.
 */
import type { Finding, MissingAttribute, MissingDocumentation } from '../findings/findings';
import type { RuleContext, RuleFinding, Severity } from './types';

/**
 * Whether a finding calls for more documentation, and how loudly. Not for findings that are absent,
 * hypothetical or someone else's; a historical or uncertain one at most as information.
 */
export function specificitySeverity(f: Finding): Severity | 'skip' | undefined {
  if (f.context.negated || f.context.hypothetical || f.context.experiencer) return 'skip';
  if (f.context.historical || f.context.uncertain) return 'information';
  return undefined;
}

/** "Calcific tendinitis of shoulder", "Calcification of muscle of thigh", "Calcinosis". */
export function subject(f: Finding, ctx: RuleContext): string {
  const site = f.site ? ctx.anatomy.site(f.site.value)?.preferred : undefined;
  const mentioned = site && !f.preferred.toLowerCase().includes(site.toLowerCase());
  return mentioned ? `${f.preferred} of ${site}` : f.preferred;
}

/** The findings missing `attribute`, each with what the rule needs to word its message. */
export function findingsMissing(ctx: RuleContext, attribute: MissingAttribute) {
  const out: Array<{ finding: Finding; options: string[]; missing: MissingDocumentation; severity: Severity | undefined }> = [];
  for (const finding of ctx.findings) {
    const severity = specificitySeverity(finding);
    if (severity === 'skip') continue;
    const missing = finding.coding.missing.find((m) => m.attribute === attribute);
    if (missing) out.push({ finding, options: missing.options, missing, severity });
  }
  return out;
}

/** The diagnostic for a finding, with what quick fixes and queries need in `data`. */
export function specificityFinding(
  finding: Finding,
  attribute: MissingAttribute,
  options: string[],
  message: string,
  severity: Severity | undefined,
): RuleFinding {
  return {
    start: finding.start,
    end: finding.end,
    message,
    ...(severity ? { severity } : {}),
    data: {
      conceptId: finding.conceptId,
      missing: attribute,
      family: finding.coding.family ?? null,
      unspecified: finding.coding.unspecified ?? null,
      options: options.slice(0, 40),
    },
  };
}

/** "thigh, lower leg or ankle and foot", or the first few and a count. */
export function choiceList(choices: readonly string[], max = 8): string {
  if (choices.length > max) return `${choices.slice(0, max).join(', ')} and ${choices.length - max} more`;
  return choices.length > 1 ? `${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}` : (choices[0] ?? '');
}

/** "M75.31 / M75.32", or the first few and a count. */
export function slashList(codes: readonly string[], max = 6): string {
  return codes.length > max ? `${codes.slice(0, max).join(' / ')} and ${codes.length - max} more` : codes.join(' / ');
}
