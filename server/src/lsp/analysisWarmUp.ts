/**
 * Warms the analysis up once the server is idle after its first diagnostics, so that the first minutes of typing
 * are as fast as the rest of the session.
 *
 * V8 compiles a function to fast machine code only after it has run many times, with the types it saw. The
 * server's first whole-note analysis runs the scan and the findings cold, and an edit takes other paths
 * (analysisReuse.ts): the last analysis moved, sentences found again, findings found again from the edit on,
 * diagnostics moved. Each of those ran cold the first few hundred times a user typed into a note. With this
 * warm-up, the first 200 one-character edits of the benchmark's report-shaped 100 KB note (after 200 whole-note
 * runs) took 0.74x as long at the median and 0.81x at the 95th percentile, and on the synthetic 50 KB note 0.89x
 * and 0.78x (medians of 10 alternating runs each, 2-core Intel Xeon; the warm-up was lower in 9 of 10 pairs on
 * the report note).
 *
 * The warm-up analyses a built-in synthetic note (`WARM_UP_NOTE`, no patient) and then edits it as a user
 * would, through the same pipeline as `publish` in server.ts (the analysis with the note's scan cache, then the
 * diagnostics converted for LSP), and throws every result away. Each edit puts one character at a seeded place
 * and the next takes it out again, so the note stays as it was; the characters vary so that every path of
 * analysisReuse.ts runs (a letter inside a word, a space, a full stop that splits a sentence, a line break that
 * splits a paragraph, a digit beside a code). It works in slices (`step`) with the event loop free in between.
 * All of it is about 0.7 s of CPU once per server (2-core Intel Xeon); one analysis of the 4 KB note, a few ms.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ScanCache } from '../core/noteScan';

/** What the server does with a note's text on each change (analyse it with the note's scan cache, convert the diagnostics). */
export type WarmUpAnalysis = (document: TextDocument, cache: ScanCache) => void;

/** The characters the warm-up types, in turn: each takes another path of analysisReuse.ts. */
const TYPED = ['e', ' ', 'a', '.', 's', '\n', '1', ','];

/** A synthetic note in the styles the server meets (dictated paragraphs, inline headers, lists, codes); no patient. */
export const WARM_UP_NOTE = `CT ABDOMEN AND PELVIS WITHOUT CONTRAST, LEFT FLANK PAIN (synthetic warm-up note; no patient)

CLINICAL HISTORY: Left flank pain and hematuria. History of nephrolithiasis status post right ureteroscopy. Mother with gallstones.
TECHNIQUE: Axial images of the abdomen and pelvis were obtained without intravenous contrast (CPT 74176). COMPARISON: CT dated 03/14/2024.
FINDINGS: LIVER: Normal in size. A 6 mm calcified granuloma is seen in the right lobe of the liver, unchanged. GALLBLADDER: Multiple layering calcified gallstones without wall thickening or pericholecystic fluid. KIDNEYS: A 4 mm nonobstructing calculus in the lower pole of the left kidney. A 7 mm calculus at the left ureterovesical junction with mild hydronephrosis and periureteral stranding. No right renal calculus or hydronephrosis. Punctate vascular calcifications in the renal hilum. PANCREAS: Coarse calcifications throughout the pancreas, compatible with chronic calcific pancreatitis due to alcohol use. AORTA: Moderate calcified atherosclerotic plaque of the abdominal aorta and iliac arteries without aneurysm. PELVIS: Phleboliths. Calcified uterine fibroid measuring 3.2 x 2.8 cm. No free fluid. BONES: Heterotopic ossification about the right hip after arthroplasty. Degenerative changes of the lumbar spine.
IMPRESSION:
1. Obstructing 7 mm left ureterovesical junction calculus with mild left hydronephrosis, N20.1, N13.2.
2. Nonobstructing left lower pole renal calculus, N20.0.
3. Cholelithiasis without cholecystitis, K80.20.
4. Chronic calcific pancreatitis, possibly alcohol induced; rule out pancreatic mass.
5. Aortic atherosclerosis, I70.0.

XR SHOULDER RIGHT 2 VIEWS
INDICATION: Right shoulder pain for 3 months, worse with overhead activity.
FINDINGS: There is an amorphous calcific density within the supraspinatus tendon measuring 1.4 cm, consistent with calcific tendinitis. The acromioclavicular joint shows mild degenerative change. No fracture or dislocation. Chondrocalcinosis of the glenoid labrum is not seen. Soft tissues otherwise unremarkable.
IMPRESSION: Calcific tendinitis of the right shoulder (M75.31). Consider ultrasound-guided barbotage.

CARDIOLOGY CONSULT
HPI: 72-year-old with hypertension, type 2 diabetes mellitus and stage 4 chronic kidney disease on calcitriol, referred for coronary artery calcification found on a screening CT. She denies chest pain. Family history: father with coronary artery disease at 58. Aortic valve calcification with mild stenosis on echocardiogram; mitral annular calcification (MAC). Calciphylaxis of the lower legs was considered by dermatology and is not present.
ASSESSMENT AND PLAN:
- Coronary artery calcification, Agatston 412. Code I25.10 and I25.84. Start a statin.
- Calcific aortic stenosis, I35.0. Repeat echo in 12 months.
- Mitral annular calcification, I34.81.
- CKD stage 4, N18.4, with secondary hyperparathyroidism of renal origin, N25.81; metastatic calcification not seen.
- Dx: E11.22, I12.9, Z79.899; updated to E11.22 from E11.9.

OPERATIVE REPORT
PREOPERATIVE DIAGNOSIS: Calcinosis cutis of the left index finger in limited systemic sclerosis (CREST).
POSTOPERATIVE DIAGNOSIS: Same.
PROCEDURE: Excision of calcinosis, left index finger (CPT 11420).
FINDINGS: Multiple chalky white calcium deposits in the subcutaneous tissue of the volar left index finger, removed completely. Dystrophic calcification of the surrounding scar. No infection.
DIAGNOSES: M34.1, L94.2.

DISCHARGE SUMMARY
Hospital course: The patient was admitted with sepsis from an infected obstructing right ureteral stone, N20.1, treated with a ureteral stent and antibiotics. Gallstone pancreatitis was ruled out. She has a remote history of kidney stones that passed spontaneously. Bilateral breast calcifications on mammography, benign appearing, BI-RADS 2. Calcified pleural plaques of both lungs from prior asbestos exposure. Follow up with urology in 2 weeks for definitive lithotripsy of the right ureteral calculus.
`;

export interface AnalysisWarmUpOptions {
  /** Analyses after the first: one per edit (an edit typed, then taken out again). */
  edits?: number;
  /** The note to warm up on (`WARM_UP_NOTE` by default). */
  text?: string;
}

/** The default number of edits: the warm-up measured above. */
export const WARM_UP_EDITS = 200;

export class AnalysisWarmUp {
  private document: TextDocument;
  private readonly cache = new ScanCache();
  private readonly edits: number;
  /** Analyses done so far (the first is of the note as written). */
  done = 0;
  /** Where the last character was typed, while it is there to be taken out. */
  private typedAt = -1;
  private seed = 0x2545f491;

  constructor(
    private readonly analyse: WarmUpAnalysis,
    options: AnalysisWarmUpOptions = {},
  ) {
    this.edits = options.edits ?? WARM_UP_EDITS;
    this.document = TextDocument.create('calx-warm-up:note', 'plaintext', 1, options.text ?? WARM_UP_NOTE);
  }

  /** Whether every analysis has run. */
  get finished(): boolean {
    return this.done > this.edits;
  }

  /**
   * Runs analyses until `deadline` (a `performance.now()` time), at least one; says whether the warm-up is over.
   */
  step(deadline: number): boolean {
    do {
      if (this.finished) return true;
      if (this.done > 0) this.edit();
      this.analyse(this.document, this.cache);
      this.done++;
    } while (performance.now() < deadline);
    return this.finished;
  }

  /** Types the next character at a seeded place, or takes out the one typed last. */
  private edit(): void {
    const { document } = this;
    const typed = this.typedAt >= 0;
    const start = typed ? this.typedAt : Math.floor(this.random() * (document.getText().length + 1));
    const [end, text] = typed ? [start + 1, ''] : [start, TYPED[(this.done >> 1) % TYPED.length]!];
    this.typedAt = typed ? -1 : start;
    const range = { start: document.positionAt(start), end: document.positionAt(end) };
    this.document = TextDocument.update(document, [{ range, text }], document.version + 1);
  }

  /** xorshift32: the same places on every run. */
  private random(): number {
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x;
    return (x >>> 0) / 0x1_0000_0000;
  }
}
