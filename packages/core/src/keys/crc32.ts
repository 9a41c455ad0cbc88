import * as zlib from 'node:zlib';

type Crc32 = (data: Uint8Array | string) => number;

let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/**
 * Table-driven CRC-32 (IEEE 802.3, the one zlib and PNG use). Used where `zlib.crc32` is missing
 * (Node < 20.15); exported for tests that compare both.
 *
 * @example
 * ```ts
 * crc32Fallback('123456789'); // 0xcbf43926
 * ```
 */
export function crc32Fallback(data: Uint8Array | string): number {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const t = crcTable();
  let crc = 0xffffffff;
  for (const byte of bytes) crc = t[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// `zlib.crc32` exists from Node 20.15 / 22.2; read it dynamically so older 20.x still works.
const native = (zlib as { crc32?: Crc32 }).crc32;

/**
 * CRC-32 (IEEE) of a string (UTF-8) or bytes, as an unsigned 32-bit integer. Uses Node's native
 * `zlib.crc32` when present, else a table-driven fallback with identical results.
 *
 * @example
 * ```ts
 * crc32('123456789'); // 0xcbf43926
 * ```
 */
export const crc32: Crc32 =
  typeof native === 'function' ? (data) => native(data) >>> 0 : crc32Fallback;
