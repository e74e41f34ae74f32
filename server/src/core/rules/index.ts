import { headerCode } from './headerCode';
import { invalidCode } from './invalidCode';
import type { Rule } from './types';

/** Every rule Calx knows, by stable id. New rules: one file in this folder, one line here. */
export const RULES: readonly Rule[] = [invalidCode, headerCode];

export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);
