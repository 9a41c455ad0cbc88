/**
 * Transpiles `src/servers/*.ts` to plain ESM JavaScript before a run, so server processes start
 * without a TypeScript loader: `--import tsx` adds about 50 MB of RSS (and its hooks) to every
 * process, which would swamp the RSS column. The output goes under `node_modules/.cache` (ignored
 * by git), where bare imports (`express`, `@claude-auth/express`, ...) still resolve through
 * bench's own `node_modules`. Type checking is `pnpm --filter @claude-auth/bench typecheck`'s job.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SOURCE_DIR = fileURLToPath(new URL('./servers/', import.meta.url));

/** Where the compiled servers live. */
export const COMPILED_DIR = fileURLToPath(
  new URL('../node_modules/.cache/claude-auth-bench/servers/', import.meta.url),
);

/**
 * Transpiles every server file (no type check) and returns the output directory; `root` names
 * another checkout (a `--baseline` build) whose servers to transpile, under its own `bench/`.
 *
 * @example
 * ```ts
 * const dir = compileServers();
 * spawn(process.execPath, [join(dir, 'bare-express.js')]);
 * ```
 */
export function compileServers(root?: string): string {
  const sourceDir = root === undefined ? SOURCE_DIR : join(root, 'bench', 'src', 'servers');
  const outDir =
    root === undefined
      ? COMPILED_DIR
      : join(root, 'bench', 'node_modules', '.cache', 'claude-auth-bench', 'servers');
  mkdirSync(outDir, { recursive: true });
  // Under node_modules the package scope stops, so declare ESM here.
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
  for (const file of readdirSync(sourceDir)) {
    if (!file.endsWith('.ts') || file.endsWith('.d.ts')) continue;
    const { outputText } = ts.transpileModule(readFileSync(join(sourceDir, file), 'utf8'), {
      fileName: file,
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        experimentalDecorators: true,
        emitDecoratorMetadata: false,
        useDefineForClassFields: false,
        esModuleInterop: true,
      },
    });
    writeFileSync(join(outDir, file.replace(/\.ts$/, '.js')), outputText);
  }
  return outDir;
}
