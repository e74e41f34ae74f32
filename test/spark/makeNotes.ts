/**
 * node --import tsx test/spark/makeNotes.ts DIR COUNT
 *
 * Writes COUNT synthetic notes (test/support/syntheticNotes.ts; 300 B to 8 KB, seeded, so every run has the same
 * notes) as DIR/notes/NNNNN.txt for the plain CLI, and as DIR/notes.jsonl ({"id": "NNNNN", "text": ...} a line)
 * for the Spark job, with one line that is not JSON in the middle (a bad record the stream must survive).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prng, syntheticNote } from '../support/syntheticNotes';

const [dir, countArg] = process.argv.slice(2);
if (!dir || !countArg) throw new Error('usage: makeNotes.ts DIR COUNT');
const count = Number(countArg);
const rnd = prng(19);
mkdirSync(join(dir, 'notes'), { recursive: true });
const lines: string[] = [];
for (let i = 0; i < count; i++) {
  const id = String(i).padStart(5, '0');
  const text = syntheticNote(300 + Math.floor(rnd() * 8000), 1000 + i);
  writeFileSync(join(dir, 'notes', `${id}.txt`), text);
  lines.push(JSON.stringify({ id, text }));
  if (i === Math.floor(count / 2)) lines.push('not a JSON record');
}
writeFileSync(join(dir, 'notes.jsonl'), `${lines.join('\n')}\n`);
