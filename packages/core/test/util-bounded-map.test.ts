import { describe, expect, it } from 'vitest';
import { BoundedMap } from '../src/util/bounded-map.js';

describe('BoundedMap', () => {
  it('never holds more than maxEntries: a new key evicts the oldest', () => {
    const map = new BoundedMap<string, number>(3);
    for (let i = 0; i < 100; i++) map.set(`k${i}`, i);
    expect(map.size).toBe(3);
    expect([...map.keys()]).toEqual(['k97', 'k98', 'k99']);
  });

  it('updating a key in a full map evicts nothing; setNewest moves it last', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2).set('a', 3);
    expect([...map]).toEqual([
      ['a', 3],
      ['b', 2],
    ]);
    map.setNewest('a', 4).set('c', 5);
    expect([...map]).toEqual([
      ['a', 4],
      ['c', 5],
    ]);
  });

  it('first() is true once per key', () => {
    const seen = new BoundedMap<string, true>(10);
    expect(seen.first('x', true)).toBe(true);
    expect(seen.first('x', true)).toBe(false);
  });
});
