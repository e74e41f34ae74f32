// The esbuild options every Node bundle of the project shares (extension, server, CLI, bench scripts).
import { dirname, join } from 'node:path';

/**
 * zod's `z` namespace re-exports every message locale (about 40, 366 KB of the server's 1.5 MB bundle); Calx
 * words zod's messages in English only (zod's default, en.js). Bundling only that one makes the server and the
 * CLI smaller to read and compile at every start.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: join(dirname(args.importer), '..', 'locales', 'index.js'), namespace: 'zod-locales' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(join(dirname(args.path), 'en.js'))};`,
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

export const nodeBundle = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [zodEnglishOnly],
};
