/** Short random identifiers for dossiers, rows and lines; works in Node and in every browser context. */
// 32 symbols (Crockford's base32, lower case), so `byte % 32` has no bias.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export function newId(length = 12): string {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}
