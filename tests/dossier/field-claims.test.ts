/** Who holds a short form field: the earliest claim, then the lower client id; the same answer for every client. */
import { describe, expect, it } from 'vitest';
import { claimSince, FIELD_IDLE_MS, fieldHolder, fieldKey, idleTimeLeft, readFieldClaim, rowOfFieldKey, type Claimant } from '../../dossier/field-claims';

const claimant = (clientId: number, key: string, since: number): Claimant => ({ clientId, claim: { key, since } });

describe('field claims', () => {
  it('gives a field to the earliest claim, and on the same instant to the lower client id, whatever order the claims arrive in', () => {
    const claims = [
      claimant(7, 'berichterstattung', 1000),
      claimant(3, 'berichterstattung', 1000),
      claimant(1, 'berichterstattung', 1001),
      claimant(0, 'datum', 1),
    ];
    for (const order of [claims, [...claims].reverse(), [claims[2]!, claims[0]!, claims[3]!, claims[1]!]]) {
      expect(fieldHolder(order, 'berichterstattung')?.clientId).toBe(3);
    }
    expect(fieldHolder(claims, 'datum')?.clientId).toBe(0);
    expect(fieldHolder(claims, 'aktenzeichen')).toBeUndefined();
  });

  it('dates a new claim after every claim already seen on the field, so a slow clock takes nothing away', () => {
    const seen = [claimant(1, 'row/body', 5000), claimant(2, 'row/body', 6000), claimant(3, 'other', 9000)];
    expect(claimSince(1000, seen, 'row/body')).toBe(6001);
    expect(claimSince(7000, seen, 'row/body')).toBe(7000);
    expect(claimSince(1000, seen, 'free')).toBe(1000);
    const late = claimant(0, 'row/body', claimSince(1000, seen, 'row/body'));
    expect(fieldHolder([...seen, late], 'row/body')?.clientId).toBe(1);
  });

  it('reads only well-formed claims from an awareness state', () => {
    expect(readFieldClaim({ key: 'a', since: 1 })).toEqual({ key: 'a', since: 1 });
    for (const bad of [
      null,
      'a',
      { key: '', since: 1 },
      { key: 'a'.repeat(201), since: 1 },
      { key: 'a' },
      { key: 'a', since: Number.NaN },
      { key: 'a', since: -1 },
    ]) {
      expect(readFieldClaim(bad)).toBeNull();
    }
  });

  it('keys a row cell by row and column', () => {
    expect(fieldKey('body', 'r1')).toBe('r1/body');
    expect(fieldKey('aktenzeichen')).toBe('aktenzeichen');
    expect(rowOfFieldKey('r1/amount:2027')).toBe('r1');
    expect(rowOfFieldKey('aktenzeichen')).toBeNull();
  });
});

describe('idle field claims', () => {
  it('lapse two minutes after the last keystroke, and a clock set back gives no more time than that', () => {
    expect(FIELD_IDLE_MS).toBe(120_000);
    expect(idleTimeLeft(1000, 1000)).toBe(120_000);
    expect(idleTimeLeft(1000, 61_000)).toBe(60_000);
    expect(idleTimeLeft(1000, 120_999)).toBe(1);
    expect(idleTimeLeft(1000, 121_000)).toBe(0);
    expect(idleTimeLeft(1000, 500_000)).toBe(0);
    expect(idleTimeLeft(500_000, 1000)).toBe(120_000);
    expect(idleTimeLeft(0, 1500, 2000)).toBe(500);
  });
});
