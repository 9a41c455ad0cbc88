import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_ERROR_CODES } from '../src/config/config-error-codes.js';

const root = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('CONFIG_ERROR_CODES', () => {
  it('every code links to an anchor that exists in docs/configuration.md', () => {
    const readme = readFileSync(join(root, '../../docs/configuration.md'), 'utf8');
    for (const [code, { docs }] of Object.entries(CONFIG_ERROR_CODES)) {
      const anchor = docs.split('#')[1]!;
      expect(readme, code).toContain(`<a id="${anchor}"></a>\`${code}\``);
    }
  });

  it('every configuration code thrown by the options and config layers is in the map', () => {
    const layers = [
      ...sources(join(root, 'src/config')),
      join(root, 'src/auth/authenticator-options.ts'),
      join(root, 'src/limits/validate-rule.ts'),
    ];
    const thrown = new Set<string>();
    for (const file of layers) {
      for (const match of readFileSync(file, 'utf8').matchAll(/code: '(CLAUDE_AUTH_[A-Z_]+)'/g))
        thrown.add(match[1]!);
    }
    expect(thrown.size).toBeGreaterThan(3);
    for (const code of thrown) expect(Object.keys(CONFIG_ERROR_CODES), code).toContain(code);
  });
});
