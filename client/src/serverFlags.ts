/**
 * The Node flags the extension starts its language server with (the benchmark starts it the same way).
 *
 * `--max-semi-space-size=8`: a young generation of at most 2 x 8 MB instead of V8's 2 x 16 MB on 64-bit. An
 * analysis keeps little alive after the scan cache moves paragraphs in place, so the smaller young generation
 * made no measurable difference to edit or whole-note latency, and the server gives its memory back sooner when
 * it goes idle (see the closing notes of issue 6 and `npm run bench`, "at rest").
 *
 * `--expose-gc`: lets the server run full collections once it is idle after heavy work, so its memory goes back
 * to the system 10 s after the work (server/src/lsp/idleMemory.ts); V8 alone had not done so 45 s later. Without
 * the flag the server works the same; only that release is skipped.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8', '--expose-gc'];
