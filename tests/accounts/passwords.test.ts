/** Password hashing and the rules for new passwords, in-process against node:crypto's real scrypt. */
import { randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, randomPassword, unmatchableHash, verifyPassword } from '../../server/accounts/passwords';

/** A stored hash made by hand with the given salt, for the forms hashPassword itself never writes. */
const storedWith = (password: string, salt: Buffer) =>
  [
    'scrypt',
    2 ** 15,
    8,
    1,
    salt.toString('base64url'),
    scryptSync(password, salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }).toString('base64url'),
  ].join('$');

describe('password hashes', () => {
  it('names scrypt and its parameters, with a fresh 16-byte salt and a 32-byte key each time', async () => {
    const first = await hashPassword('Haushaltsplan 2026!');
    const second = await hashPassword('Haushaltsplan 2026!');
    const [scheme, n, r, p, salt, key] = first.split('$');
    expect([scheme, n, r, p]).toEqual(['scrypt', '32768', '8', '1']);
    expect(Buffer.from(salt!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(key!, 'base64url')).toHaveLength(32);
    expect(second).not.toBe(first);
    expect(second.split('$')[4]).not.toBe(salt);
  });

  it('verifies the right password and refuses a wrong one of the same length', async () => {
    const stored = await hashPassword('Haushaltsplan 2026!');
    expect(await verifyPassword('Haushaltsplan 2026!', stored)).toBe(true);
    expect(await verifyPassword('Haushaltsplan 2027!', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('is the same hash as scrypt over the same salt computes', async () => {
    const salt = randomBytes(16);
    expect(await verifyPassword('Gemeinderat tagt', storedWith('Gemeinderat tagt', salt))).toBe(true);
  });

  it('treats composed and decomposed umlauts as the same password (NFC)', async () => {
    const composed = 'Bürgerhaushalt 2026'.normalize('NFC');
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    expect(await verifyPassword(decomposed, await hashPassword(composed))).toBe(true);
  });

  it('uses the parameters a stored hash names, so older parameters keep working', async () => {
    const salt = randomBytes(16);
    const key = scryptSync('Alte Parameter', salt, 32, { N: 2 ** 10, r: 4, p: 2 });
    const stored = ['scrypt', 2 ** 10, 4, 2, salt.toString('base64url'), key.toString('base64url')].join('$');
    expect(await verifyPassword('Alte Parameter', stored)).toBe(true);
    expect(await verifyPassword('Neue Parameter', stored)).toBe(false);
  });

  it('answers false, without throwing, for stored values that are not a complete scrypt hash', async () => {
    const good = storedWith('Gemeinderat tagt', randomBytes(16));
    const [, n, r, p, salt, key] = good.split('$');
    const malformed = [
      '',
      'not a hash',
      ['bcrypt', n, r, p, salt, key].join('$'),
      ['scrypt', '', r, p, salt, key].join('$'),
      ['scrypt', n, '', p, salt, key].join('$'),
      ['scrypt', n, r, '', salt, key].join('$'),
      ['scrypt', n, r, p, salt, ''].join('$'),
      ['scrypt', n, r, p, salt].join('$'),
      // a shorter key than scrypt computes
      ['scrypt', n, r, p, salt, Buffer.from(key!, 'base64url').subarray(0, 16).toString('base64url')].join('$'),
    ];
    for (const stored of malformed) expect(await verifyPassword('Gemeinderat tagt', stored), stored).toBe(false);
  });

  it('refuses a hash without salt even when its key matches', async () => {
    const unsalted = storedWith('Gemeinderat tagt', Buffer.alloc(0));
    expect(unsalted.split('$')[4]).toBe('');
    expect(await verifyPassword('Gemeinderat tagt', unsalted)).toBe(false);
  });

  it('has a hash for unknown users that no password matches', async () => {
    expect(await verifyPassword('', unmatchableHash)).toBe(false);
    expect(await verifyPassword('Gemeinderat tagt', unmatchableHash)).toBe(false);
  });
});

describe('rules for new passwords', () => {
  it('counts characters, not UTF-16 units, between 12 and 128', () => {
    expect(passwordProblem('Kurz genug?', 'anna')).toBe('Das Passwort braucht mindestens 12 Zeichen (es hat 11).');
    expect(passwordProblem('Kurz genug?!', 'anna')).toBeUndefined();
    // eleven characters, twenty-two UTF-16 units
    expect(passwordProblem('🏛️🏛️🏛️🏛️🏛️🏛', 'anna')).toMatch(/mindestens 12 Zeichen \(es hat 11\)/);
    const longest = `${'Ratssitzung-'.repeat(10)}Ratssitz`;
    expect([...longest]).toHaveLength(128);
    expect(passwordProblem(longest, 'anna')).toBeUndefined();
    expect(passwordProblem(`${longest}!`, 'anna')).toBe('Das Passwort darf höchstens 128 Zeichen haben.');
  });

  it('refuses the user name inside the password, whatever the case', () => {
    expect(passwordProblem('mein-AnNa-Passwort', 'anna')).toBe('Das Passwort darf den Benutzernamen nicht enthalten.');
    expect(passwordProblem('mein-anna-Passwort', 'ANNA')).toBe('Das Passwort darf den Benutzernamen nicht enthalten.');
    expect(passwordProblem('mein-eigenes-Passwort', 'anna')).toBeUndefined();
    // no user name yet: nothing to compare
    expect(passwordProblem('mein-eigenes-Passwort', '')).toBeUndefined();
  });

  it('refuses one repeated character but not two', () => {
    expect(passwordProblem('aaaaaaaaaaaaaa', 'anna')).toBe('Das Passwort darf nicht aus einem einzigen wiederholten Zeichen bestehen.');
    expect(passwordProblem('abababababababxy', 'anna')).toBeUndefined();
  });

  it('refuses common passwords in any case, and the project’s own words', () => {
    const tooKnown = 'Dieses Passwort ist zu bekannt oder zu häufig. Bitte ein anderes wählen.';
    expect(passwordProblem('qwerty123456', 'anna')).toBe(tooKnown);
    expect(passwordProblem('QWERTY123456', 'anna')).toBe(tooKnown);
    expect(passwordProblem('Ratsdossier-Demo', 'anna')).toBe(tooKnown);
    expect(passwordProblem('qwerty123456-Rathaus', 'anna')).toBeUndefined();
  });
});

describe('random passwords', () => {
  it('are 20 characters of an alphabet without look-alikes and meet the rules', () => {
    const passwords = Array.from({ length: 50 }, () => randomPassword());
    for (const password of passwords) {
      expect(password).toMatch(/^[A-HJ-NP-Za-km-z2-9]{20}$/);
      expect(passwordProblem(password, 'admin')).toBeUndefined();
    }
    expect(new Set(passwords).size).toBe(50);
    // over 1000 characters every part of the alphabet shows up
    const all = new Set(passwords.join(''));
    for (const character of 'AZaz29') expect(all.has(character), character).toBe(true);
  });

  it('take a length', () => {
    expect(randomPassword(32)).toHaveLength(32);
  });
});
