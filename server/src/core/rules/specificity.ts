/**
 * Shared by the specificity rules (missing-site, missing-laterality, missing-etiology): which findings they
 * speak about and how they name them.
 */
import type { Finding, MissingAttribute, MissingDocumentation } from '../findings/findings';
import { silencer } from '../suppression';
import type { Rule, RuleContext, RuleFinding, Severity } from './types';

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

/**
 * The findings missing `attribute`, each with what the rule needs to word its message. One condition mentioned
 * several times ("a calcification ... the calcification ... Reported calcification of unknown location"; a stone
 * in the findings and again in the impression) asks one question: its mentions with the same concept, site, side
 * and coding make one entry, at the first of those that asks loudest (`loudness`: a current mention before a
 * historical one, also where both are information), with the lines of the others in `also`. A mention on a line
 * that silences the rule (a calx-ignore) keeps a diagnostic of its own, to be silenced, and takes no other's with it.
 */
export function findingsMissing(ctx: RuleContext, attribute: MissingAttribute, rule: Pick<Rule, 'id' | 'defaultSeverity'>) {
  const out: Array<{ finding: Finding; options: string[]; missing: MissingDocumentation; severity: Severity | undefined; also: number[] }> = [];
  const byCondition = new Map<string, (typeof out)[number]>();
  const silenced = silencer(ctx.text);
  for (const finding of ctx.findings) {
    const severity = specificitySeverity(finding);
    if (severity === 'skip') continue;
    const missing = finding.coding.missing.find((m) => m.attribute === attribute);
    if (!missing) continue;
    const { coding } = finding;
    const key = [finding.conceptId, finding.site?.value, finding.laterality?.value, coding.family, coding.suggested.join('+'), coding.unspecified, missing.options.join('+')].join('|');
    const entry = { finding, options: missing.options, missing, severity, also: [] as number[] };
    if (silenced?.(finding.start, rule.id)) {
      out.push(entry);
      continue;
    }
    const first = byCondition.get(key);
    if (!first) {
      byCondition.set(key, entry);
      out.push(entry);
    } else if (loudness(entry.severity, rule) > loudness(first.severity, rule)) {
      // The louder mention asks; the quieter one before it becomes one of its other mentions.
      entry.also.push(ctx.model.lineOf(first.finding.start), ...first.also);
      out[out.indexOf(first)] = entry;
      byCondition.set(key, entry);
    } else {
      first.also.push(ctx.model.lineOf(finding.start));
    }
  }
  for (const entry of out) entry.also = [...new Set(entry.also)].sort((a, b) => a - b);
  return out;
}

/**
 * How loudly a mention asks: by the severity it would have (a rule's own default, or information for a historical
 * or uncertain one), then a current mention before one its context made quieter.
 */
function loudness(severity: Severity | undefined, rule: Pick<Rule, 'defaultSeverity'>): number {
  const rank: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };
  return 2 * rank[severity ?? rule.defaultSeverity] + (severity === undefined ? 1 : 0);
}

/** " Also mentioned at lines 4 and 6." for a condition's other mentions; empty when it has none. */
export function alsoMentioned(lines: readonly number[]): string {
  if (lines.length === 0) return '';
  const list = lines.length > 1 ? `lines ${lines.slice(0, -1).join(', ')} and ${lines[lines.length - 1]}` : `line ${lines[0]}`;
  return ` Also mentioned at ${list}.`;
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
