/**
 * Who is in which cell of the budget table: the cell a client has focus in is
 * its field claim (collab/shared-field.tsx, as for every short field), which
 * also decides who may type into it; and the line it deleted last
 * (`deletedLine`), so that whoever was editing that line can be told who deleted it.
 */
import type { HocuspocusProvider } from '@hocuspocus/provider';
import { fieldKey, rowOfFieldKey } from '../../dossier/field-claims';
import { claimField, fieldClaimants, useFieldPresence, type FieldEditor } from '../collab/shared-field';

export interface CellRef {
  line: string;
  column: string;
}

export type CellEditor = FieldEditor;

export const cellKey = (line: string, column: string) => `${line}\u0000${column}`;

interface RemoteState {
  user: CellEditor;
  deletedLine: string | null;
}

/** The other clients' states (this tab excluded; the same person in another tab counts as another). */
function remoteStates(provider: HocuspocusProvider): RemoteState[] {
  const awareness = provider.awareness;
  if (!awareness) return [];
  const states: RemoteState[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue;
    const user = state.user as { name?: unknown; color?: unknown } | undefined;
    if (!user || typeof user.name !== 'string') continue;
    states.push({
      user: { name: user.name, color: typeof user.color === 'string' ? user.color : '#555555' },
      deletedLine: typeof state.deletedLine === 'string' ? state.deletedLine : null,
    });
  }
  return states;
}

export function publishCell(provider: HocuspocusProvider, cell: CellRef | null): void {
  claimField(provider, cell && fieldKey(cell.column, cell.line));
}

/** Published before the deletion itself, so it reaches the others first. */
export function publishDeletedLine(provider: HocuspocusProvider, lineId: string): void {
  provider.setAwarenessField('deletedLine', lineId);
}

/** The name of whoever deleted the line, if they still say so. */
export function deletedBy(provider: HocuspocusProvider, lineId: string): string | undefined {
  return remoteStates(provider).find((state) => state.deletedLine === lineId)?.user.name;
}

export interface CellPresence {
  /** Other people per cell key. */
  cells: Map<string, CellEditor[]>;
  /** Other people per line id. */
  lines: Map<string, CellEditor[]>;
  /** Who else holds a cell: it is read-only here, and nothing typed into it is written. */
  takenBy(line: string, column: string): CellEditor | undefined;
}

/**
 * The cells one person holds at a time: the description, a text two people would write over each other.
 * Amounts and account parts only show who is in them: they are committed whole (on Enter, Tab or leaving,
 * amounts validated) and never interleave, and finance staff walk the grid with Enter and the arrow keys,
 * so the focus often rests in a cell nobody is typing into and would lock it for the others.
 */
const heldColumns: ReadonlySet<string> = new Set(['description']);

/** Re-renders on every awareness change and tells who is in which cell. */
export function useCellPresence(provider: HocuspocusProvider): CellPresence {
  const presence = useFieldPresence(provider);
  const cells = new Map<string, CellEditor[]>();
  const lines = new Map<string, CellEditor[]>();
  for (const { claim, user, self } of fieldClaimants(provider)) {
    const line = rowOfFieldKey(claim.key);
    if (self || line === null) continue;
    const key = cellKey(line, claim.key.slice(line.length + 1));
    cells.set(key, [...(cells.get(key) ?? []), user]);
    lines.set(line, [...(lines.get(line) ?? []), user]);
  }
  const takenBy = (line: string, column: string) => {
    if (!heldColumns.has(column)) return undefined;
    const holder = presence.holder(fieldKey(column, line));
    return holder && !holder.self ? holder.user : undefined;
  };
  return { cells, lines, takenBy };
}
