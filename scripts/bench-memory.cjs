/**
 * Preload for the benchmark's server (`node --expose-gc --require bench-memory.cjs dist/server.js`): on
 * SIGUSR2 it collects garbage and writes process.memoryUsage() as JSON to $CALX_BENCH_MEMORY_FILE, so the
 * benchmark can read the server's heap and RSS without any code in the server itself. It also writes the size
 * of each V8 heap space, and the RSS one second after the collection ("settled"): V8 and the C allocator give
 * pages back to the system some time after a collection, so RSS read at once overstates what the server keeps.
 */
'use strict';
const fs = require('node:fs');
const v8 = require('node:v8');

process.on('SIGUSR2', () => {
  const before = process.memoryUsage();
  if (typeof globalThis.gc === 'function') globalThis.gc();
  const after = process.memoryUsage();
  const spaces = Object.fromEntries(
    v8.getHeapSpaceStatistics().map((s) => [s.space_name, { committed: s.physical_space_size, used: s.space_used_size }]),
  );
  setTimeout(() => {
    const file = process.env.CALX_BENCH_MEMORY_FILE;
    const settledRss = process.memoryUsage().rss;
    if (file) fs.writeFileSync(file, JSON.stringify({ rssBeforeGc: before.rss, heapUsedBeforeGc: before.heapUsed, ...after, settledRss, spaces }));
  }, 1000);
});
