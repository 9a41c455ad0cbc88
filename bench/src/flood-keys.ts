/**
 * The invalid-key flood's rotation file: half well-formed keys with valid checksums that the store
 * has never seen (each costs a hash and, past the negative cache, a store lookup), half garbage
 * that must be refused before the store (bad checksum, random printable bytes, a foreign format).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';

/** Share of well-formed (checksum-valid, unknown) keys in the file. */
export const WELL_FORMED_SHARE = 0.5;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function randomPrintable(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String.fromCharCode(0x21 + randomInt(0x7e - 0x21 + 1));
  return out;
}

function corruptChecksum(key: string): string {
  const last = key.at(-1)!;
  const replacement = BASE62[(BASE62.indexOf(last) + 1 + randomInt(60)) % 62]!;
  return key.slice(0, -1) + replacement;
}

/**
 * Writes `count` keys, one per line, in a repeating pattern of ten: five well-formed unknown keys,
 * two with a corrupted checksum, two random printable strings, one foreign-format key.
 *
 * @example
 * ```ts
 * await writeFloodKeys('/tmp/flood.txt', 100_000, generateApiKey);
 * ```
 */
export async function writeFloodKeys(
  path: string,
  count: number,
  generateApiKey: () => string,
): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < count; i++) {
    const slot = i % 10;
    let key: string;
    if (slot < 5) key = generateApiKey();
    else if (slot < 7) key = corruptChecksum(generateApiKey());
    else if (slot < 9) key = randomPrintable(1 + randomInt(100));
    else key = `sk-ant-api03-${randomBytes(70).toString('base64url')}`;
    if (!out.write(`${key}\n`))
      await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await finished(out);
}
