/**
 * Which reverse proxies to believe when finding a request's client address: the one setting every
 * adapter uses (`trustProxy`), read like Express's `trust proxy` (a hop count or a list of
 * addresses and CIDR ranges).
 */
import { BlockList, isIP } from 'node:net';

/**
 * The `trustProxy` setting as users write it: `false` (default: the socket's peer is the client),
 * a number of proxy hops in front of the service, or addresses and CIDR ranges of trusted proxies
 * (an array, or one comma-separated string; `loopback`, `linklocal` and `uniquelocal` name the
 * usual ranges).
 */
export type TrustProxySetting = false | number | string | readonly string[];

/** {@link TrustProxySetting} normalised: `false`, a hop count, or a list of addresses/ranges. */
export type NormalizedTrustProxy = false | number | readonly string[];

const NAMED: Readonly<Record<string, readonly string[]>> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** What a bad `trustProxy` value is told it must be (the same words from options and config). */
export const TRUST_PROXY_EXPECTED =
  'false, a number of proxy hops from 0 to 64, or IP addresses / CIDR ranges of trusted proxies ' +
  '(an array or a comma-separated string; loopback, linklocal and uniquelocal name the usual ranges)';

/** Most `x-forwarded-for` entries read; a longer chain is cut (the client is never further). */
const MAX_FORWARDED = 64;

function parseRange(
  entry: string,
): { address: string; prefix: number; type: 'ipv4' | 'ipv6' } | null {
  const slash = entry.indexOf('/');
  const address = slash === -1 ? entry : entry.slice(0, slash);
  const version = isIP(address);
  if (version === 0) return null;
  const max = version === 4 ? 32 : 128;
  let prefix = max;
  if (slash !== -1) {
    const text = entry.slice(slash + 1);
    if (!/^\d{1,3}$/.test(text)) return null;
    prefix = Number(text);
    if (prefix > max) return null;
  }
  return { address, prefix, type: version === 4 ? 'ipv4' : 'ipv6' };
}

/**
 * Validates and normalises a {@link TrustProxySetting}; `undefined` (the value is unusable) lets
 * each configuration layer raise its own error with {@link TRUST_PROXY_EXPECTED}.
 *
 * @example
 * ```ts
 * parseTrustProxy('loopback, 10.0.0.0/8'); // ['loopback', '10.0.0.0/8']
 * parseTrustProxy(2); // 2
 * parseTrustProxy('nonsense'); // undefined
 * ```
 */
export function parseTrustProxy(value: unknown): NormalizedTrustProxy | undefined {
  if (value === false) return false;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > 64) return undefined;
    return value === 0 ? false : value;
  }
  const list =
    typeof value === 'string'
      ? value.split(',')
      : Array.isArray(value) && value.every((v) => typeof v === 'string')
        ? value
        : undefined;
  if (list === undefined) return undefined;
  const entries = list.map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (entries.length === 0) return undefined;
  for (const entry of entries) {
    if (!Object.hasOwn(NAMED, entry) && parseRange(entry) === null) return undefined;
  }
  return entries;
}

/** `::ffff:192.0.2.1` → `192.0.2.1`; anything else unchanged. */
function unmap(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/**
 * Finds the client address of a request from the socket's peer and `x-forwarded-for`, trusting
 * exactly the proxies the setting names (Express's `trust proxy` algorithm): walking from the
 * socket's peer towards the client, the first address that is not a trusted proxy is the client.
 * With `false` the socket's peer is the client and `x-forwarded-for` is ignored.
 *
 * @example
 * ```ts
 * const trust = new TrustProxy(['loopback']);
 * trust.clientAddress('127.0.0.1', '203.0.113.7, 127.0.0.1'); // '203.0.113.7'
 * new TrustProxy(false).clientAddress('127.0.0.1', '203.0.113.7'); // '127.0.0.1'
 * ```
 */
export class TrustProxy {
  /** The normalised setting, e.g. for logs and tests. */
  readonly setting: NormalizedTrustProxy;
  readonly #hops: number;
  readonly #ranges: BlockList | null;

  constructor(setting: NormalizedTrustProxy) {
    this.setting = setting;
    this.#hops = typeof setting === 'number' ? setting : 0;
    if (!Array.isArray(setting)) {
      this.#ranges = null;
      return;
    }
    const ranges = new BlockList();
    for (const entry of setting as readonly string[]) {
      for (const item of NAMED[entry] ?? [entry]) {
        const range = parseRange(item);
        if (range !== null) ranges.addSubnet(range.address, range.prefix, range.type);
      }
    }
    this.#ranges = ranges;
  }

  /** Whether anything beyond the socket's peer is ever read. */
  get enabled(): boolean {
    return this.setting !== false;
  }

  /**
   * The client address: `remote` (the socket's peer) unless it is a trusted proxy, then the
   * nearest untrusted entry of `forwardedFor` (or the farthest one when all are trusted).
   */
  clientAddress(
    remote: string | undefined,
    forwardedFor: string | readonly string[] | undefined,
  ): string | undefined {
    if (remote === undefined || remote === '') return undefined;
    if (this.setting === false || forwardedFor === undefined) return remote;
    const header = typeof forwardedFor === 'string' ? forwardedFor : forwardedFor.join(',');
    const chain = header.split(',', MAX_FORWARDED * 4);
    let current = remote;
    let hop = 0;
    for (let i = chain.length - 1; i >= 0 && hop < MAX_FORWARDED; i--) {
      const next = chain[i]!.trim();
      if (next === '') continue;
      if (!this.#trusts(current, hop)) return current;
      // Only a trusted proxy's word reaches here; bound it anyway (it becomes a limiter bucket).
      current = next.length > 64 ? next.slice(0, 64) : next;
      hop++;
    }
    return current;
  }

  #trusts(address: string, hop: number): boolean {
    if (this.#ranges === null) return hop < this.#hops;
    const plain = unmap(address);
    const version = isIP(plain);
    if (version === 0) return false;
    return this.#ranges.check(plain, version === 4 ? 'ipv4' : 'ipv6');
  }
}
