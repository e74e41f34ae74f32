import { headerCode } from './headerCode';
import { invalidCode } from './invalidCode';
import { missingEtiology } from './missingEtiology';
import { missingLaterality } from './missingLaterality';
import { missingSite } from './missingSite';
import type { Rule } from './types';

/** Every rule Calx knows, by stable id. New rules: one file in this folder, one line here. */
export const RULES: readonly Rule[] = [invalidCode, headerCode, missingSite, missingLaterality, missingEtiology];

export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);
