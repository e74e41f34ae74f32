// The esbuild options every Node bundle of the project shares (extension, server, CLI, bench scripts).
export const nodeBundle = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
};
