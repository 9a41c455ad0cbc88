import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The repository root (this file is apps/consumers/test/support/readme-blocks.ts). */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../../../..');

/** One fenced code block of a README. */
export interface ReadmeBlock {
  /** README path relative to the repository root, e.g. `packages/express/README.md`. */
  readme: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The fence's info string (`ts`, `sh`, `json`, ...), lower case; `''` when none. */
  lang: string;
  code: string;
  /** `packages/express/README.md:7`, for messages. */
  where: string;
  /** A file name for the block: `packages-express-README-7`. */
  slug: string;
}

/** Every README the project ships: the root one, then `packages/*` and `apps/*`. */
export function readmePaths(root = REPO_ROOT): string[] {
  const found = ['README.md'];
  for (const dir of ['packages', 'apps']) {
    for (const name of readdirSync(path.join(root, dir)).sort()) {
      const file = path.join(dir, name, 'README.md');
      if (existsSync(path.join(root, file))) found.push(file);
    }
  }
  return found;
}

/**
 * Every fenced code block (```` ``` ```` fences at the start of a line) of every README.
 *
 * @example
 * ```ts
 * const tsBlocks = readmeBlocks().filter((block) => block.lang === 'ts');
 * ```
 */
export function readmeBlocks(root = REPO_ROOT): ReadmeBlock[] {
  const blocks: ReadmeBlock[] = [];
  for (const readme of readmePaths(root)) {
    const lines = readFileSync(path.join(root, readme), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const open = /^```(\S*)\s*$/.exec(lines[i]!);
      if (!open) continue;
      const end = lines.findIndex((text, j) => j > i && /^```\s*$/.test(text));
      if (end === -1) throw new Error(`${readme}:${i + 1}: code block never closed`);
      const line = i + 1;
      blocks.push({
        readme,
        line,
        lang: open[1]!.toLowerCase(),
        code: `${lines.slice(i + 1, end).join('\n')}\n`,
        where: `${readme}:${line}`,
        slug: `${readme.replace(/\.md$/, '').replaceAll('/', '-')}-${line}`,
      });
      i = end;
    }
  }
  return blocks;
}
