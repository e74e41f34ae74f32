/**
 * Preload for the benchmark's server (`node --expose-gc --require bench-memory.cjs dist/server.js`): on
 * SIGUSR2 it collects garbage and writes process.memoryUsage() as JSON to $CALX_BENCH_MEMORY_FILE, so the
 * benchmark can read the server's heap and RSS without any code in the server itself.
 */
'use strict';
const fs = require('node:fs');

process.on('SIGUSR2', () => {
  const before = process.memoryUsage();
  if (typeof globalThis.gc === 'function') globalThis.gc();
  const after = process.memoryUsage();
  const file = process.env.CALX_BENCH_MEMORY_FILE;
  if (file) fs.writeFileSync(file, JSON.stringify({ rssBeforeGc: before.rss, heapUsedBeforeGc: before.heapUsed, ...after }));
});
