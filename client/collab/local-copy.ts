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

/**
 * Runs `change` on the copies in one read-write transaction; resolves when it
 * is committed. False where the browser keeps no copies.
 */
async function changeCopies(change: (store: IDBObjectStore) => void): Promise<boolean> {
  const db = await database();
  if (!db) return false;
  const transaction = db.transaction(STORE, 'readwrite');
  change(transaction.objectStore(STORE));
  await done(transaction);
  return true;
}

/** Reads the copy within a transaction and hands it (or undefined) to `then`, in the same transaction. */
function withCopy(store: IDBObjectStore, key: LocalCopyKey, then: (copy: Uint8Array | undefined) => void): void {
  const request = store.get(keyOf(key));
  request.onsuccess = () => {
    const value: unknown = request.result;
    then(value instanceof Uint8Array ? value : undefined);
  };
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
export function writeLocalCopy(key: LocalCopyKey, update: Uint8Array): Promise<boolean> {
  return changeCopies((store) => withCopy(store, key, (copy) => store.put(copy ? Y.mergeUpdates([copy, update]) : update, keyOf(key))));
}

/**
 * Deletes the copy if the server has stored everything in it (`stored`: its
 * state vector); a copy with more, from another tab, stays. True when no copy
 * is left.
 */
export async function deleteLocalCopyIfStored(key: LocalCopyKey, stored: ReadonlyMap<number, number>): Promise<boolean> {
  let gone = true;
  await changeCopies((store) =>
    withCopy(store, key, (copy) => {
      if (!copy) return;
      const clocks = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(copy));
      if ([...clocks].every(([client, clock]) => (stored.get(client) ?? 0) >= clock)) store.delete(keyOf(key));
      else gone = false;
    }),
  );
  return gone;
}

/** Deletes the copy, whatever it holds. */
export async function deleteLocalCopy(key: LocalCopyKey): Promise<void> {
  await changeCopies((store) => store.delete(keyOf(key)));
}

/** Deletes every copy the user has in this browser (at sign-out). */
export async function forgetLocalCopies(userId: string): Promise<void> {
  // keys are `${userId}\n${documentName}`; '\n' + 1 is '\v'
  await changeCopies((store) => store.delete(IDBKeyRange.bound(`${userId}\n`, `${userId}\v`, false, true)));
}
