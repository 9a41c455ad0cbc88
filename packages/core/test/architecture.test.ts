import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const map = readFileSync(path.join(root, 'ARCHITECTURE.md'), 'utf8');
const table = map.slice(map.indexOf('## Rule of the contract'));
/** Every `path` in the table's second column. */
const files = [...table.matchAll(/^\|[^|]+\|\s*`([^`]+)`\s*\|$/gm)].map((match) => match[1]!);

describe('ARCHITECTURE.md', () => {
  it('has a table that names the files holding the rules', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  it.each(files)('names %s, which exists', (file) => {
    expect(existsSync(path.join(root, file))).toBe(true);
  });

  it('has a CONTRIBUTING.md beside it', () => {
    expect(existsSync(path.join(root, 'CONTRIBUTING.md'))).toBe(true);
  });
});
