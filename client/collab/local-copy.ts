/**
 * The copy of a section document that this browser keeps while the server
 * has not yet stored the user's edits in it (IndexedDB). A tab closed or a
 * browser that crashes while offline loses nothing: the next time the user
 * opens the dossier, the copy is merged back in and sent.
 *
 * A copy exists only as long as it is needed: it is deleted once the server
 * has stored everything in it, and all of a user's copies are deleted at
 * sign-out (municipal PCs are shared). Copies are kept per user; one user
 * never gets another's copy.
 *
 * Where IndexedDB is missing or refused (some private modes), the copy is
 * simply not kept: edits then live in the page only, as before.
 */
import * as Y from 'yjs';

const DATABASE = 'ratsdossier';
const STORE = 'sections';

export interface LocalCopyKey {
  userId: string;
  documentName: string;
}

const keyOf = ({ userId, documentName }: LocalCopyKey) => `${userId}\n${documentName}`;

function done(request: IDBRequest | IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    if ('oncomplete' in request) {
      request.oncomplete = () => resolve();
      request.onabort = request.onerror = () => reject(request.error ?? new Error('IndexedDB transaction aborted'));
    } else {
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
    }
  });
}

let opening: Promise<IDBDatabase | null> | undefined;

/** The database, opened once per page; null where the browser offers none. */
function database(): Promise<IDBDatabase | null> {
  opening ??= new Promise((resolve) => {
    if (typeof indexedDB === 'undefined') return resolve(null);
    let request: IDBOpenDBRequest;
    try {
      request = indexedDB.open(DATABASE, 1);
    } catch {
      return resolve(null);
    }
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => {
      const db = request.result;
      // another tab deletes the database (sign-out there): let it, and reopen when needed
      db.onversionchange = () => {
        db.close();
        opening = undefined;
      };
      resolve(db);
    };
    request.onerror = () => resolve(null);
    request.onblocked = () => resolve(null);
  });
  return opening;
}

/** The stored copy (a Yjs update), if there is one. */
export async function readLocalCopy(key: LocalCopyKey): Promise<Uint8Array | undefined> {
  const db = await database();
  if (!db) return undefined;
  const request = db.transaction(STORE, 'readonly').objectStore(STORE).get(keyOf(key));
  await done(request);
  const value: unknown = request.result;
  return value instanceof Uint8Array ? value : undefined;
}

/**
 * Merges the document's state into the copy (another tab of the same user may
 * have put its own unsent edits there); resolves when committed. False where
 * no copy can be kept.
 */
export async function writeLocalCopy(key: LocalCopyKey, update: Uint8Array): Promise<boolean> {
  const db = await database();
  if (!db) return false;
  const transaction = db.transaction(STORE, 'readwrite');
  const store = transaction.objectStore(STORE);
  const existing = store.get(keyOf(key));
  existing.onsuccess = () => {
    const value: unknown = existing.result;
    store.put(value instanceof Uint8Array ? Y.mergeUpdates([value, update]) : update, keyOf(key));
  };
  await done(transaction);
  return true;
}

/**
 * Deletes the copy if the server has stored everything in it (`stored`: its
 * state vector); a copy with more, from another tab, stays. True when no copy
 * is left.
 */
export async function deleteLocalCopyIfStored(key: LocalCopyKey, stored: ReadonlyMap<number, number>): Promise<boolean> {
  const db = await database();
  if (!db) return true;
  const transaction = db.transaction(STORE, 'readwrite');
  const store = transaction.objectStore(STORE);
  const existing = store.get(keyOf(key));
  let gone = true;
  existing.onsuccess = () => {
    const value: unknown = existing.result;
    if (!(value instanceof Uint8Array)) return;
    const clocks = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(value));
    if ([...clocks].every(([client, clock]) => (stored.get(client) ?? 0) >= clock)) store.delete(keyOf(key));
    else gone = false;
  };
  await done(transaction);
  return gone;
}

/** Deletes the copy, whatever it holds. */
export async function deleteLocalCopy(key: LocalCopyKey): Promise<void> {
  const db = await database();
  if (!db) return;
  const transaction = db.transaction(STORE, 'readwrite');
  transaction.objectStore(STORE).delete(keyOf(key));
  await done(transaction);
}

/** Deletes every copy the user has in this browser (at sign-out). */
export async function forgetLocalCopies(userId: string): Promise<void> {
  const db = await database();
  if (!db) return;
  const transaction = db.transaction(STORE, 'readwrite');
  // keys are `${userId}\n${documentName}`; '\n' + 1 is '\v'
  transaction.objectStore(STORE).delete(IDBKeyRange.bound(`${userId}\n`, `${userId}\v`, false, true));
  await done(transaction);
}
