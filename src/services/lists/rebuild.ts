// Temporary re-export while the import commands move to src/cli/wiring.ts.
export { rebuildSnapshot } from '../../cli/wiring.ts';
export type { CompileResult as RebuildResult } from './compile-lists.ts';
