/**
 * Password hashing with scrypt (memory-hard, in node:crypto). The stored form
 * names its parameters, so they can be raised later without breaking old hashes:
 * `scrypt$N$r$p$salt$hash` (salt and hash base64url).
 */
import { createRequire } from 'node:module';
import { randomBytes, randomInt, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const N = 2 ** 15;
const r = 8;
const p = 1;
const KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFC'), salt, KEY_LENGTH, { ...options, maxmem: 256 * options.N! * options.r! }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, { N, r, p });
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, rr, pp, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !rr || !pp || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(rr), p: Number(pp) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash that matches no password, compared against when a user does not exist, so timing does not reveal it. */
export const unmatchableHash = `scrypt$${N}$${r}$${p}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(KEY_LENGTH).toString('base64url')}`;

/**
 * Rules for a new password: 12 to 128 characters (code points, so an emoji counts once), not the user name or
 * containing it, not one character repeated, not among 49,000 common passwords or the project's own words.
 */
const MIN_LENGTH = 12;
const MAX_LENGTH = 128;
const commonPasswords = new Set<string>([
  ...(createRequire(import.meta.url)('@zxcvbn-ts/language-common') as { dictionary: { 'passwords-common': string[] } }).dictionary['passwords-common'],
  'ratsdossier-demo',
  'ratsdossier',
  'musterstadt',
]);

export function passwordProblem(password: string, username: string): string | undefined {
  const characters = [...password];
  if (characters.length < MIN_LENGTH) return `Das Passwort braucht mindestens ${MIN_LENGTH} Zeichen (es hat ${characters.length}).`;
  if (characters.length > MAX_LENGTH) return `Das Passwort darf höchstens ${MAX_LENGTH} Zeichen haben.`;
  const lower = password.toLowerCase();
  if (username && lower.includes(username.toLowerCase())) return 'Das Passwort darf den Benutzernamen nicht enthalten.';
  if (new Set(characters).size === 1) return 'Das Passwort darf nicht aus einem einzigen wiederholten Zeichen bestehen.';
  if (commonPasswords.has(lower)) return 'Dieses Passwort ist zu bekannt oder zu häufig. Bitte ein anderes wählen.';
  return undefined;
}

/** A random password that meets the rules, e.g. the first administrator's one-time password. */
export function randomPassword(length = 20): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}
