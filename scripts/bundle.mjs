// Bundles the client, the server and the CLI into dist/ with esbuild (CommonJS for Node 20 and VS Code).
import { build } from 'esbuild';
import { nodeBundle } from './esbuildNode.mjs';

// The data stays in data/ beside dist/ and is read at run time; only code is bundled.
await Promise.all([
  build({ ...nodeBundle, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  build({ ...nodeBundle, entryPoints: ['server/src/lsp/server.ts'], outfile: 'dist/server.js' }),
  build({
    ...nodeBundle,
    entryPoints: ['server/src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  }),
]);
