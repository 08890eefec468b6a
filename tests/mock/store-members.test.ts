/**
 * Memberships in the store: a group's members and a member's groups are one relation, kept both
 * ways; deleting a group or dropping the members' collection (a spec reload) leaves no member behind.
 */
import { describe, expect, it } from 'vitest';
import { Collection, Store } from '../../mocks/state/store.js';

describe('Collection members', () => {
  it("add, remove and a deleted group: members and each member's groups agree", () => {
    const groups = new Collection();
    groups.set('1', { id: 1 });
    groups.set('2', { id: 2 });
    groups.addMember('1', 'a');
    groups.addMember('2', 'a');
    groups.addMember('1', 'b');
    expect([...groups.membersOf('1')]).toEqual(['a', 'b']);
    expect([...groups.holdersOf('a')]).toEqual(['1', '2']);
    groups.removeMember('1', 'a');
    expect([...groups.holdersOf('a')]).toEqual(['2']);
    groups.delete('2');
    expect([...groups.holdersOf('a')]).toEqual([]);
    expect([...groups.membersOf('2')]).toEqual([]);
    expect(groups.forgetMember('b')).toEqual(['1']);
    expect([...groups.membersOf('1')]).toEqual([]);
  });

  it('a rebuilt collection keeps both directions', () => {
    const groups = new Collection();
    groups.set('1', { id: 1 });
    groups.addMember('1', 'a');
    const copy = groups.rebuilt([]);
    expect([...copy.holdersOf('a')]).toEqual(['1']);
    expect([...copy.membersOf('1')]).toEqual(['a']);
  });
});

describe('Store.adopt', () => {
  it("a dropped members' collection leaves the kept groups with none, and their count says 0", () => {
    const before = new Store();
    before.declareMembers('groups', 'contacts', '/count');
    before.collection('contacts').set('a', { id: 'a' });
    const kept = before.collection('groups');
    kept.set('1', { id: 1, count: 1 });
    kept.addMember('1', 'a');
    const after = new Store();
    after.declareMembers('groups', 'people', '/count');
    expect(after.adopt(before, (name) => name === 'groups')).toEqual({ kept: ['groups'], dropped: ['contacts'] });
    const groups = after.collection('groups');
    expect([...groups.membersOf('1')]).toEqual([]);
    expect([...groups.holdersOf('a')]).toEqual([]);
    expect(groups.get('1')).toEqual({ id: 1, count: 0 });
  });
});

describe('Collection counts', () => {
  it('a field indexed as text counts a number and its decimal text as one value, and follows changes', () => {
    const contacts = new Collection();
    contacts.indexOn([{ property: 'group_id', children: false, asText: true }]);
    contacts.set('1', { id: 1, group_id: 5 });
    contacts.set('2', { id: 2, group_id: '5' });
    contacts.set('3', { id: 3, group_id: 6 });
    expect(contacts.countAsText('group_id', 5)).toBe(2);
    expect(contacts.countAsText('group_id', '5')).toBe(2);
    contacts.set('2', { id: 2, group_id: 6 });
    contacts.delete('1');
    expect(contacts.countAsText('group_id', 5)).toBe(0);
    expect(contacts.countAsText('group_id', 6)).toBe(2);
  });
});

describe('Collection parents', () => {
  it('a record made under a parent is seen from it alone, through updates, a rebuild and an index', () => {
    const notes = new Collection();
    notes.indexOn([{ property: 'tag', children: false }]);
    notes.set('1', { id: 1, tag: 'x' }, '["a"]');
    notes.set('2', { id: 2, tag: 'x' });
    notes.set('1', { id: 1, tag: 'x', edited: true });
    const rebuilt = notes.rebuilt([{ property: 'tag', children: false }]);
    for (const collection of [notes, rebuilt]) {
      expect(collection.get('1', '["b"]')).toBeUndefined();
      expect(collection.get('1', '["a"]')).toEqual({ id: 1, tag: 'x', edited: true });
      expect(collection.get('2', '["b"]')).toEqual({ id: 2, tag: 'x' });
      expect([...collection.values('["b"]')].map((r) => r.id)).toEqual([2]);
      expect([...collection.values()].map((r) => r.id)).toEqual([1, 2]);
      expect(collection.find('tag', 'x', '["b"]')).toEqual(['2']);
      expect([...collection.find('tag', 'x', '["a"]')].sort()).toEqual(['1', '2']);
    }
    notes.delete('1');
    notes.set('1', { id: 1 });
    expect(notes.get('1', '["b"]')).toEqual({ id: 1 });
  });
});
