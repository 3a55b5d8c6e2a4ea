/**
 * Who is in which cell of the budget table, through the section document's
 * awareness: each client publishes the cell it has focus in (`cell`), and the
 * line it deleted last (`deletedLine`), so that whoever was editing that line
 * can be told who deleted it.
 */
import type { HocuspocusProvider } from '@hocuspocus/provider';
import { useEffect, useReducer } from 'react';

export interface CellRef {
  line: string;
  column: string;
}

export interface CellEditor {
  name: string;
  color: string;
}

export const cellKey = (line: string, column: string) => `${line}\u0000${column}`;

interface RemoteState {
  user: CellEditor;
  cell: CellRef | null;
  deletedLine: string | null;
}

const isCell = (value: unknown): value is CellRef =>
  typeof value === 'object' && value !== null && typeof (value as CellRef).line === 'string' && typeof (value as CellRef).column === 'string';

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
      cell: isCell(state.cell) ? state.cell : null,
      deletedLine: typeof state.deletedLine === 'string' ? state.deletedLine : null,
    });
  }
  return states;
}

export function publishCell(provider: HocuspocusProvider, cell: CellRef | null): void {
  const current = provider.awareness?.getLocalState()?.cell as CellRef | null | undefined;
  if (current?.line === cell?.line && current?.column === cell?.column) return;
  provider.setAwarenessField('cell', cell);
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
}

/** Re-renders on every awareness change and tells who is in which cell. */
export function useCellPresence(provider: HocuspocusProvider): CellPresence {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const awareness = provider.awareness;
    if (!awareness) return;
    const changed = () => bump();
    awareness.on('change', changed);
    return () => awareness.off('change', changed);
  }, [provider]);
  const cells = new Map<string, CellEditor[]>();
  const lines = new Map<string, CellEditor[]>();
  for (const { user, cell } of remoteStates(provider)) {
    if (!cell) continue;
    const key = cellKey(cell.line, cell.column);
    cells.set(key, [...(cells.get(key) ?? []), user]);
    lines.set(cell.line, [...(lines.get(cell.line) ?? []), user]);
  }
  return { cells, lines };
}
