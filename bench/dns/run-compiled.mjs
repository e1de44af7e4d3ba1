// Runs the compiled CLI (dist/, from `npm run build`) as bin/ringfence.mjs runs the TypeScript sources.
const { main } = await import('../../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
