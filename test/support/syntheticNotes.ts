/**
 * Deterministic synthetic clinical notes for property tests and the benchmark: realistic prose with section
 * headers, calcification findings with site, side and cause, negations and hedges, family and past history,
 * and written ICD-10-CM / CPT codes (billable, header, deleted and invalid ones). No real patient data: every
 * sentence is assembled from the fragments below with a seeded generator, so the same seed gives the same note.
 */

/** mulberry32: a small, fast, seedable PRNG (the same sequence on every machine and Node version). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

export const SIDES = ['right', 'left', 'bilateral'] as const;
export const SITES = ['shoulder', 'hip', 'knee', 'elbow', 'wrist', 'ankle', 'supraspinatus tendon', 'rotator cuff', 'subacromial bursa', 'thigh'];
export const CONCEPTS = [
  'calcific tendinitis',
  'calcification',
  'calcific deposit',
  'heterotopic ossification',
  'myositis ossificans',
  'calcinosis cutis',
  'chondrocalcinosis',
  'CPPD',
  'pseudogout',
  'coronary artery calcification',
  'mitral annular calcification',
  'aortic valve calcification',
  'nephrolithiasis',
  'kidney stone',
  'gallstones',
  'calcified granuloma',
  'vascular calcification',
  'basal ganglia calcification',
];
export const CAUSES = ['chronic kidney disease', 'hyperparathyroidism', 'trauma', 'scleroderma', 'dermatomyositis', 'hypercalcemia', 'prior surgery'];
export const NEGATIONS = ['No', 'No evidence of', 'Negative for', 'Denies', 'Without', 'There is no'];
export const HEDGES = ['Possible', 'Probable', 'Cannot exclude', 'Suspicious for', 'Rule out', 'Questionable'];
/** Codes as a note writes them: billable, headers, deleted, invalid, lower case and undotted, CPT with modifiers. */
export const CODES = ['M75.31', 'M75.32', 'M75.3', 'M61.40', 'M61.411', 'L94.2', 'M11.20', 'I25.10', 'I25.84', 'I34.81', 'I70.0', 'N20.0', 'K80.20', 'E21.0', 'N18.31', 'T52.8X1A', 'M75.33', 'Z99.99', 'm7531', 'E11.9'];
export const CPT = ['20551', '76942', '23000-LT', '23412', '75571', '20610-RT', '27200'];
export const HEADERS = [
  'CHIEF COMPLAINT',
  'HISTORY OF PRESENT ILLNESS',
  'PAST MEDICAL HISTORY',
  'PAST SURGICAL HISTORY',
  'FAMILY HISTORY',
  'SOCIAL HISTORY',
  'MEDICATIONS',
  'REVIEW OF SYSTEMS',
  'PHYSICAL EXAM',
  'FINDINGS',
  'IMPRESSION',
  'ASSESSMENT/PLAN',
  'PREOPERATIVE DIAGNOSIS',
  'POSTOPERATIVE DIAGNOSIS',
  'PROCEDURE',
  'OPERATIVE FINDINGS',
];
const FILLER = [
  'The patient tolerated the visit well.',
  'Range of motion is limited by pain at the end of abduction.',
  'Radiographs in three views were reviewed with the patient.',
  'Ibuprofen 400 mg t.i.d. gave partial relief; she prefers to avoid steroids.',
  'Follow up in 6 weeks with repeat imaging, sooner if symptoms worsen.',
  'Vital signs: BP 132/84, HR 72, afebrile.',
  'Dr. Smith reviewed the images, e.g. the axial series, vs. the prior study.',
  'Labs: calcium 10.9 mg/dL, phosphate 4.8 mg/dL, PTH 212 pg/mL.',
  'Ultrasound shows posterior acoustic shadowing at the tendon insertion.',
  'Agatston score: LAD 212, RCA 96, LCx 0, left main 0.',
];

/** One sentence of clinical prose: a finding with its context, site, side, cause and codes, or filler. */
export function sentence(rnd: () => number): string {
  const r = rnd();
  const concept = pick(rnd, CONCEPTS);
  const site = pick(rnd, SITES);
  const side = pick(rnd, SIDES);
  if (r < 0.25) return `${cap(concept)} of the ${side} ${site}, ${pick(rnd, CODES)}.`;
  if (r < 0.35) return `${pick(rnd, NEGATIONS)} ${concept} of the ${site}.`;
  if (r < 0.45) return `${pick(rnd, HEDGES)} ${concept} in the ${side} ${site}.`;
  if (r < 0.55) return `${cap(concept)} of the ${site} due to ${pick(rnd, CAUSES)}.`;
  if (r < 0.6) return `Mother had ${concept}; father with ${pick(rnd, CAUSES)}.`;
  if (r < 0.65) return `History of ${concept}, ${side} ${site}, treated in the past.`;
  if (r < 0.72) return `Codes: ${pick(rnd, CODES)}, ${pick(rnd, CODES)} and ${pick(rnd, CODES)}; CPT ${pick(rnd, CPT)}, ${pick(rnd, CPT)}.`;
  if (r < 0.78) return `${cap(side)} ${site} radiograph shows a ${Math.floor(rnd() * 30) + 2} mm ${concept}, unchanged.`;
  return pick(rnd, FILLER);
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * A note of about `bytes` UTF-8 bytes (ASCII prose, so bytes = characters), cut at a sentence boundary:
 * sections of 1-4 paragraphs, numbered lists in assessment sections, wrapped lines.
 */
export function syntheticNote(bytes: number, seed = 1): string {
  const rnd = prng(seed);
  const parts: string[] = ['CLINIC NOTE (synthetic; no real patient)\n\n'];
  let length = parts[0]!.length;
  while (length < bytes) {
    const header = pick(rnd, HEADERS);
    let section = `${header}:\n`;
    const paragraphs = 1 + Math.floor(rnd() * 4);
    const numbered = header.includes('ASSESSMENT') || header.includes('DIAGNOSIS') || header === 'IMPRESSION';
    for (let p = 0; p < paragraphs; p++) {
      const sentences = 2 + Math.floor(rnd() * 5);
      const lines: string[] = [];
      for (let s = 0; s < sentences; s++) lines.push(numbered ? `${s + 1}. ${sentence(rnd)}` : sentence(rnd));
      section += `${lines.join(numbered ? '\n' : rnd() < 0.3 ? '\n' : ' ')}\n\n`;
    }
    parts.push(section);
    length += section.length;
  }
  const text = parts.join('');
  if (text.length <= bytes) return text;
  const cut = text.lastIndexOf('\n', bytes);
  return text.slice(0, cut > bytes / 2 ? cut + 1 : bytes);
}

/** The styles of `reportNote`: a radiology report, an operative report, a consultation. */
export type ReportStyle = 'radiology' | 'operative' | 'consult';

const REPORT_SECTIONS: Record<ReportStyle, readonly string[]> = {
  radiology: ['EXAM', 'CLINICAL HISTORY', 'TECHNIQUE', 'COMPARISON', 'FINDINGS', 'IMPRESSION'],
  operative: ['PREOPERATIVE DIAGNOSIS', 'POSTOPERATIVE DIAGNOSIS', 'PROCEDURE', 'ANESTHESIA', 'INDICATIONS FOR PROCEDURE', 'DESCRIPTION OF PROCEDURE', 'OPERATIVE FINDINGS', 'ESTIMATED BLOOD LOSS', 'DISPOSITION'],
  consult: ['REASON FOR CONSULTATION', 'HISTORY OF PRESENT ILLNESS', 'PAST MEDICAL HISTORY', 'MEDICATIONS', 'SOCIAL HISTORY', 'FAMILY HISTORY', 'REVIEW OF SYSTEMS', 'PHYSICAL EXAMINATION', 'DATA', 'ASSESSMENT AND PLAN'],
};
/** Sentences of dictated prose without a finding: most of a real report. */
const REPORT_PROSE = [
  ...FILLER,
  'The study is compared with the prior examination performed at an outside facility.',
  'Alignment is anatomic without evidence of acute fracture or dislocation.',
  'The joint spaces are relatively preserved for the patient\'s stated age.',
  'Soft tissues are otherwise unremarkable without radiopaque foreign body.',
  'The patient was brought to the operating room and placed supine on the table.',
  'After adequate general anesthesia was obtained, the extremity was prepped and draped in the usual sterile fashion.',
  'A time-out was performed confirming the correct patient, site and procedure.',
  'Hemostasis was obtained with electrocautery and the wound was irrigated with sterile saline.',
  'The patient reports intermittent pain that is worse at night and with overhead activity.',
  'She denies fever, chills, weight loss or recent trauma.',
  'He works as a carpenter and does not smoke; he drinks alcohol socially.',
  'On examination there is tenderness to palpation over the greater tuberosity.',
  'Strength is 4+/5 in forward flexion and external rotation with pain.',
  'Neurovascular status is intact distally.',
  'We discussed the natural history, the options of observation, injection and surgery, and their risks.',
  'All questions were answered and the patient agrees with the plan.',
];

/**
 * A note shaped like a real dictated report of about `bytes` characters (ASCII): sections whose capitalised
 * header starts a line with its text on the same line ("FINDINGS: There is ..."), no blank line between
 * sections, paragraphs of 10 to 40 sentences (most on one long line, some wrapped at about 90 columns),
 * findings, sites, sides, causes and codes among mostly plain prose. Deterministic for a seed.
 */
export function reportNote(bytes: number, seed = 1, style: ReportStyle = (['radiology', 'operative', 'consult'] as const)[seed % 3]!): string {
  const rnd = prng(seed);
  const sections = REPORT_SECTIONS[style];
  const parts: string[] = [`${style.toUpperCase()} REPORT (synthetic; no real patient)\n`];
  let length = parts[0]!.length;
  for (let s = 0; length < bytes; s++) {
    const header = sections[s % sections.length]!;
    const paragraphs = 1 + Math.floor(rnd() * 3);
    let section = `${header}: `;
    for (let p = 0; p < paragraphs; p++) {
      const count = 10 + Math.floor(rnd() * 31);
      const sentences: string[] = [];
      // About one sentence in four carries a finding, a code or a cue; the rest is plain prose.
      for (let k = 0; k < count; k++) sentences.push(rnd() < 0.25 ? sentence(rnd) : pick(rnd, REPORT_PROSE));
      const text = sentences.join(' ');
      section += `${rnd() < 0.25 ? wrap(text, 90) : text}\n`;
    }
    // Now and then a blank line between sections, as some dictation systems leave one.
    if (rnd() < 0.1) section += '\n';
    parts.push(section);
    length += section.length;
  }
  const text = parts.join('');
  if (text.length <= bytes) return text;
  const cut = text.lastIndexOf('. ', bytes);
  return `${text.slice(0, cut > bytes / 2 ? cut + 1 : bytes)}\n`;
}

/** `text` broken into lines of at most about `width` characters at spaces. */
function wrap(text: string, width: number): string {
  const words = text.split(' ');
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}
