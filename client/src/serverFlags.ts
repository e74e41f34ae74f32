/**
 * The Node flags the extension starts its language server with (the benchmark starts it the same way).
 *
 * `--max-semi-space-size=8`: a young generation of at most 2 x 8 MB instead of V8's 2 x 16 MB on 64-bit. An
 * analysis keeps little alive after the scan cache moves paragraphs in place, so the smaller young generation
 * made no measurable difference to edit or whole-note latency, and the server gives its memory back sooner when
 * it goes idle (see the closing notes of issue 6 and `npm run bench`, "at rest").
 *
 * `--expose-gc`: lets the server run full collections once it is idle after heavy work, so its memory goes back
 * to the system 10 s after the work (server/src/lsp/idleMemory.ts); V8 alone had not done so 45 s later. It also
 * lets the server empty the young generation after an analysis, once the answer is sent, so that the next analysis
 * does not stop for a collection (server/src/lsp/youngGeneration.ts). Without the flag the server works the same;
 * only the release and that sweep are skipped.
 *
 * `--no-allocation-site-pretenuring`: V8 watches each allocation site, and one whose objects mostly survive a
 * young-generation collection gets its later objects allocated in the old generation directly. An analysis's
 * objects live for the length of the analysis, so a collection that falls inside one found them alive: V8 then
 * tenured the scan's sites (tokens, matches, sentences, memos). A tenured object that dies stays until the next
 * full collection, and everything young it points to survives every young collection until then, which made
 * each young collection copy about 2 MB (4 to 5 ms) where 0.5 MB was alive. Without pretenuring, on the
 * benchmark's 50 KB note, the whole-note p95 went from 16.5-19.1 to 12.9-14.5 ms and the after-edit p95 from
 * 9.9-11.7 to 7.5-10.0 ms (three alternating runs each); cold start did not change.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8', '--expose-gc', '--no-allocation-site-pretenuring'];

/**
 * The environment the extension adds for its language server. `MALLOC_ARENA_MAX=2` (read by glibc's allocator
 * at process start; other C libraries ignore it): at most two malloc arenas instead of eight per core. V8's
 * helper threads (concurrent marking, compilation) each took an arena, and the space freed in them stayed in RSS.
 * After 80 opens of 50 and 100 KB notes, 100 edits, 200 completions and 200 searches, then 25 s of rest: RSS
 * 148-149 -> 131-136 MB, peak 223-232 -> 191-211 MB; no more system time per analysis. (A fixed
 * `MALLOC_MMAP_THRESHOLD_=131072` gave 120 MB but mapped every large buffer afresh: about 0.4 ms more system
 * time per edit of a 100 KB note.)
 */
export const SERVER_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

/** How the extension starts its language server: the Node flags and the environment above (merged into its own). */
export function serverProcessOptions(debug = false): { execArgv: string[]; env: Record<string, string> } {
  return { execArgv: [...SERVER_NODE_FLAGS, ...(debug ? ['--nolazy', '--inspect=6009'] : [])], env: { ...SERVER_ENV } };
}
