/**
 * Which rich-text field the page's one formatting toolbar acts on: the one
 * that has or last had focus (or was clicked, when it is read-only). The
 * fields report themselves here; the toolbar reads the target and answers the
 * fields' keyboard requests (Alt+F10 to the toolbar, Ctrl+K for a link).
 */
import type { Editor } from '@tiptap/core';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

export interface FormattingTarget {
  editor: Editor;
  /** The field's accessible name, shown on the toolbar. */
  label: string;
  editable: boolean;
}

/** A keyboard request from a field, numbered so that the same request twice is seen twice. */
export interface FormattingRequest {
  kind: 'toolbar' | 'link';
  serial: number;
}

interface Formatting {
  target: FormattingTarget | null;
  request: FormattingRequest | null;
  /** A field got focus or was clicked. */
  select: (target: FormattingTarget) => void;
  /** A field's editor is gone (unmounted, or recreated read-only). */
  release: (editor: Editor) => void;
  /** Alt+F10 or Ctrl+K in a field. */
  ask: (target: FormattingTarget, kind: FormattingRequest['kind']) => void;
}

const FormattingContext = createContext<Formatting | null>(null);

export function FormattingProvider({ children }: { children: ReactNode }) {
  const [target, setTarget] = useState<FormattingTarget | null>(null);
  const [request, setRequest] = useState<FormattingRequest | null>(null);
  const select = useCallback(
    (next: FormattingTarget) =>
      setTarget((current) =>
        current && current.editor === next.editor && current.editable === next.editable && current.label === next.label ? current : next,
      ),
    [],
  );
  const release = useCallback((editor: Editor) => setTarget((current) => (current?.editor === editor ? null : current)), []);
  const ask = useCallback(
    (next: FormattingTarget, kind: FormattingRequest['kind']) => {
      select(next);
      setRequest((current) => ({ kind, serial: (current?.serial ?? 0) + 1 }));
    },
    [select],
  );
  const value = useMemo(() => ({ target, request, select, release, ask }), [target, request, select, release, ask]);
  return <FormattingContext.Provider value={value}>{children}</FormattingContext.Provider>;
}

/** The page's formatting state; null outside a FormattingProvider (a field shown without a toolbar). */
export function useFormatting(): Formatting | null {
  return useContext(FormattingContext);
}
