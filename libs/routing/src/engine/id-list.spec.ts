import { IdList } from './id-list';

describe('IdList', () => {
  it('keeps ids once each, in the order added, across deletes', () => {
    const list = new IdList();
    for (const id of ['a', 'b', 'c', 'b', 'd']) list.add(id);
    expect(list.delete('b')).toBe(true);
    expect(list.delete('x')).toBe(false);
    list.add('b');
    expect([...list]).toEqual(['a', 'c', 'd', 'b']);
    expect(list.size).toBe(4);
    expect(list.has('c')).toBe(true);
    expect(list.has('x')).toBe(false);
  });

  it('gives a copy to go through while the list changes', () => {
    const list = new IdList();
    list.add('a');
    list.add('b');
    const seen: string[] = [];
    for (const id of list.toArray()) {
      list.delete(id);
      seen.push(id);
    }
    expect(seen).toEqual(['a', 'b']);
    expect(list.size).toBe(0);
  });
});
