import { TrustProxy, resolveAuthenticatorOptions, toLazyAuthRequest } from '@claude-auth/core';
import { describe, expect, it } from 'vitest';

const trust = (setting: ConstructorParameters<typeof TrustProxy>[0]) => new TrustProxy(setting);

describe('TrustProxy.clientAddress (Express `trust proxy` semantics)', () => {
  it.each([
    ['off: the peer, x-forwarded-for ignored', false, '10.0.0.2', '203.0.113.7', '10.0.0.2'],
    ['off: no header', false, '10.0.0.2', undefined, '10.0.0.2'],
    ['1 hop: the address the proxy saw', 1, '10.0.0.2', '203.0.113.7', '203.0.113.7'],
    [
      '1 hop: a spoofed entry from the client is not believed',
      1,
      '10.0.0.2',
      '6.6.6.6, 203.0.113.7',
      '203.0.113.7',
    ],
    ['2 hops', 2, '10.0.0.2', '6.6.6.6, 203.0.113.7, 10.0.0.3', '203.0.113.7'],
    ['more hops than entries: the farthest', 5, '10.0.0.2', '203.0.113.7', '203.0.113.7'],
    ['CIDR: trusted peer', ['10.0.0.0/8'], '10.0.0.2', '203.0.113.7', '203.0.113.7'],
    [
      'CIDR: untrusted peer keeps its own address',
      ['10.0.0.0/8'],
      '192.0.2.9',
      '1.1.1.1',
      '192.0.2.9',
    ],
    [
      'CIDR: walks trusted proxies only',
      ['10.0.0.0/8'],
      '10.0.0.2',
      '6.6.6.6, 203.0.113.7, 10.0.0.3',
      '203.0.113.7',
    ],
    [
      'named loopback, IPv4-mapped peer',
      ['loopback'],
      '::ffff:127.0.0.1',
      '203.0.113.7',
      '203.0.113.7',
    ],
    ['named loopback, IPv6 peer', ['loopback'], '::1', '2001:db8::1', '2001:db8::1'],
    ['array header (duplicated)', 1, '10.0.0.2', ['6.6.6.6', '203.0.113.7'], '203.0.113.7'],
    ['empty entries skipped', 1, '10.0.0.2', ' , 203.0.113.7 ,', '203.0.113.7'],
  ] as const)('%s', (_name, setting, remote, forwarded, expected) => {
    expect(trust(setting as never).clientAddress(remote, forwarded)).toBe(expected);
  });

  it('bounds what it returns, even from a trusted proxy', () => {
    const address = trust(1).clientAddress('10.0.0.2', 'x'.repeat(20_000));
    expect(address).toHaveLength(64);
  });

  it('is what the adapters read: toLazyAuthRequest(req, options.trustProxy)', () => {
    const req = {
      headers: { 'x-forwarded-for': '203.0.113.7' },
      ip: '198.51.100.1', // the framework's own answer is not consulted
      socket: { remoteAddress: '127.0.0.1' },
    };
    const off = resolveAuthenticatorOptions({}).trustProxy;
    const loopback = resolveAuthenticatorOptions({ trustProxy: 'loopback' }).trustProxy;
    expect(toLazyAuthRequest(req, off).ip).toBe('127.0.0.1');
    expect(toLazyAuthRequest(req, loopback).ip).toBe('203.0.113.7');
    expect(toLazyAuthRequest(req).ip).toBe('198.51.100.1');
  });
});
