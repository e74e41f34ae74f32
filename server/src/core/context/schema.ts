/**
 * zod schema of data/context/triggers.json (written by scripts/build-context.ts from the NegEx / ConText /
 * pyConTextNLP lists and Calx's additions). Validated once, at load; the hot path never re-validates.
 */
import { z } from 'zod';

export const CONTEXT_SCHEMA_VERSION = 1;

/** What a trigger says about a finding. `uncertain` covers NegEx's "possible" and pyConText's probable/ambivalent. */
export const CONTEXT_CATEGORIES = ['negated', 'uncertain', 'hypothetical', 'historical', 'experiencer'] as const;
export type ContextCategory = (typeof CONTEXT_CATEGORIES)[number];

/**
 * How a trigger acts in its sentence: `pre` governs the words after it, `post` those before it, `both` either
 * way; `pseudo` looks like a trigger but is not one ("no change", "not only") and blocks the triggers inside
 * it; `terminate` ends the scope of the category's triggers ("but", "however").
 */
export const TRIGGER_ROLES = ['pre', 'post', 'both', 'pseudo', 'terminate'] as const;
export type TriggerRole = (typeof TRIGGER_ROLES)[number];

export const triggerRecordSchema = z
  .object({
    /** Lower case, single spaces; matched token by token on the tokens' normalised form. */
    phrase: z.string().min(1).refine((p) => p === p.trim() && !/\s{2}/.test(p) && p === p.toLowerCase(), 'not a clean lower-case phrase'),
    category: z.enum(CONTEXT_CATEGORIES),
    role: z.enum(TRIGGER_ROLES),
    /** The list it comes from (path relative to the official lists' folder), or "calx". */
    source: z.string().min(1),
  })
  .strict();
export type TriggerRecord = z.infer<typeof triggerRecordSchema>;

export const triggersFileSchema = z
  .object({
    schemaVersion: z.literal(CONTEXT_SCHEMA_VERSION),
    triggers: z.array(triggerRecordSchema).min(1),
  })
  .superRefine((file, ctx) => {
    const seen = new Map<string, number>();
    file.triggers.forEach((t, i) => {
      const key = `${t.phrase}\u0000${t.category}\u0000${t.role}`;
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['triggers', i], message: `duplicate of triggers[${first}] (${t.phrase} / ${t.category} / ${t.role})` });
      } else seen.set(key, i);
    });
  });
export type TriggersFile = z.infer<typeof triggersFileSchema>;

/** Where a phrase of data/context/code-set-aside.json stands from the code it sets aside (see codes/setAside.ts). */
export const CODE_SET_ASIDE_PLACES = ['before', 'after', 'both', 'between', 'pseudo'] as const;
export type CodeSetAsidePlace = (typeof CODE_SET_ASIDE_PLACES)[number];

export const codeSetAsideFileSchema = z
  .object({
    about: z.string(),
    phrases: z
      .array(
        z
          .object({
            phrase: z.string().min(1).refine((p) => p === p.trim() && !/\s{2}/.test(p) && p === p.toLowerCase(), 'not a clean lower-case phrase'),
            where: z.enum(CODE_SET_ASIDE_PLACES),
            reason: z.string().min(1),
          })
          .strict(),
      )
      .min(1),
    reasons: z.record(z.string(), z.string().min(1)),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.phrases.forEach((p, i) => {
      if (seen.has(p.phrase)) ctx.addIssue({ code: 'custom', path: ['phrases', i, 'phrase'], message: `"${p.phrase}" is listed twice` });
      seen.add(p.phrase);
      if (!(p.reason in file.reasons)) ctx.addIssue({ code: 'custom', path: ['phrases', i, 'reason'], message: `unknown reason "${p.reason}"` });
    });
  });
export type CodeSetAsideFile = z.infer<typeof codeSetAsideFileSchema>;
export type CodeSetAsideRecord = CodeSetAsideFile['phrases'][number];
