/**
 * Fractional order keys for rows that several people reorder at once. A Yjs
 * type cannot be moved inside a Y.Array; moving it means delete and re-insert,
 * which loses a concurrent edit of the moved row. Instead each row carries an
 * `order` string and rows are shown sorted by it: moving a row rewrites that
 * one key, and every other cell of the row stays where concurrent edits land.
 *
 * Keys are strings over DIGITS (ASCII order, so plain `<` compares them), read
 * as base-62 fractions 0.k; a key never ends in the zero digit, so there is
 * always room between two different keys.
 */
const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ZERO = DIGITS[0]!;
const KEY = /^[0-9A-Za-z]{0,63}[1-9A-Za-z]$/;

/** Whether a stored value can serve as an order key (anything else is ignored by readers). */
export function isOrderKey(value: unknown): value is string {
  return typeof value === 'string' && KEY.test(value);
}

/** A key strictly between `a` and `b`; `a === ''` is the lower end, `b === null` the upper. */
function midpoint(a: string, b: string | null): string {
  if (b !== null) {
    let n = 0;
    while ((a[n] ?? ZERO) === b[n]) n += 1;
    if (n > 0) return b.slice(0, n) + midpoint(a.slice(n), b.slice(n));
  }
  const low = a ? DIGITS.indexOf(a[0]!) : 0;
  const high = b !== null ? DIGITS.indexOf(b[0]!) : DIGITS.length;
  if (high - low > 1) return DIGITS[Math.round((low + high) / 2)]!;
  // adjacent digits: go one digit deeper
  if (b !== null && b.length > 1) return b.slice(0, 1);
  return DIGITS[low]! + midpoint(a.slice(1), null);
}

/**
 * A key between two neighbours (`null`: no neighbour on that side), or null
 * when there is none because the neighbours are not valid, distinct, ordered
 * keys — then the caller renumbers the whole list with `spreadKeys`.
 * Appending at the end adds two random digits, so two people appending at
 * the same moment rarely get the same key.
 */
export function keyBetween(before: string | null, after: string | null, random: () => number = Math.random): string | null {
  if ((before !== null && !isOrderKey(before)) || (after !== null && !isOrderKey(after))) return null;
  if (before !== null && after !== null && before >= after) return null;
  const key = midpoint(before ?? '', after);
  if (after !== null) return key;
  const digit = (from: number) => DIGITS[from + Math.floor(random() * (DIGITS.length - from))]!;
  return key + digit(0) + digit(1);
}

/** `count` evenly spaced keys in ascending order, all of one length. */
export function spreadKeys(count: number): string[] {
  let width = 1;
  while (DIGITS.length ** width < 2 * (count + 1)) width += 1;
  const step = Math.floor(DIGITS.length ** width / (count + 1));
  return Array.from({ length: count }, (_, i) => {
    let value = (i + 1) * step;
    // no trailing zero digit; the step is at least 2, so this stays below the next key
    if (value % DIGITS.length === 0) value += 1;
    let key = '';
    for (let w = 0; w < width; w += 1) {
      key = DIGITS[value % DIGITS.length]! + key;
      value = Math.floor(value / DIGITS.length);
    }
    return key;
  });
}

/**
 * Sorts rows by their order key; rows without a valid key come after the
 * keyed ones, in their array order (rows written by code that knows no keys
 * stay where they were appended). Ties keep array order, which every replica
 * of a Y.Array agrees on.
 */
export function sortByOrderKey<T>(rows: readonly T[], keyOf: (row: T) => unknown): T[] {
  return rows
    .map((row, index) => {
      const key = keyOf(row);
      return { row, index, key: isOrderKey(key) ? key : null };
    })
    .sort((x, y) => {
      if (x.key !== y.key) {
        if (x.key === null) return 1;
        if (y.key === null) return -1;
        return x.key < y.key ? -1 : 1;
      }
      return x.index - y.index;
    })
    .map(({ row }) => row);
}
