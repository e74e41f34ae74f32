import { cptBundling } from './cptBundling';
import { cptModifier } from './cptModifier';
import { excludes1Conflict } from './excludes1Conflict';
import { headerCode } from './headerCode';
import { invalidCode } from './invalidCode';
import { missingDetail } from './missingDetail';
import { missingEtiology } from './missingEtiology';
import { missingLaterality } from './missingLaterality';
import { missingSite } from './missingSite';
import { ossificationVsCalcification } from './ossificationVsCalcification';
import { sequencing } from './sequencing';
import { seventhCharacter } from './seventhCharacter';
import { shoulderCalcificTendinitis } from './shoulderCalcificTendinitis';
import { unspecifiedCode } from './unspecifiedCode';
import type { Rule } from './types';

/** Every rule Calx knows, by stable id. New rules: one file in this folder, one line here. */
export const RULES: readonly Rule[] = [
  invalidCode,
  headerCode,
  seventhCharacter,
  excludes1Conflict,
  sequencing,
  unspecifiedCode,
  shoulderCalcificTendinitis,
  ossificationVsCalcification,
  cptBundling,
  cptModifier,
  missingSite,
  missingLaterality,
  missingEtiology,
  missingDetail,
];

export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);
