#!/usr/bin/env node
// Checked before anything is imported: on an older Node the TypeScript sources would fail
// to load with an error that does not say what to do.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24 || typeof WebAssembly.Suspending !== 'function') {
  process.stderr.write(
    `wasm-operator needs Node.js >= 24 with WebAssembly JSPI; this is Node ${process.versions.node}.\n` +
      'Inside the project, `npm start` and `npx wasm-operator` use the Node that `npm install` brought.\n',
  );
  process.exit(1);
}
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
