/**
 * Short form fields that several people may edit: who is in which field, and
 * an input that only the field's holder can type into (dossier/field-claims.ts
 * says why a field is taken rather than co-edited, and who holds it). Every
 * kind of field uses this module: the Kopf, the Beratungsfolge and Anlagen
 * rows, and the budget table's cells (budget/presence.ts).
 *
 * Typing writes the whole value on every keystroke, so the others see it live.
 * Should two people enter a field at the same instant, both may write before
 * they see each other's claim: the one who loses the tie-break stops writing
 * and drops what they typed, and the holder writes its value again whenever
 * another client's value arrives while it holds the field, so the holder's
 * text is what stays. Whole strings are written, so letters never interleave.
 *
 * Undo (Ctrl+Z, Ctrl+Y / Ctrl+Shift+Z) works per field, in steps that end at
 * sentences and clauses (undo-steps.ts), through a Y.UndoManager that tracks
 * only this page's writes to that field: it never takes back another user's value.
 *
 * Two minutes without typing, this page lets go of the field for the others
 * (FIELD_IDLE_MS, dossier/field-claims.ts) and says so at the field; typing
 * there again takes it back if nobody else has meanwhile.
 */
import type { HocuspocusProvider } from '@hocuspocus/provider';
import {
  useEffect,
  useLayoutEffect,
  useReducer,
  useRef,
  useState,
  type CSSProperties,
  type InputHTMLAttributes,
  type KeyboardEvent,
  type TextareaHTMLAttributes,
} from 'react';
import * as Y from 'yjs';
import { claimSince, FIELD_IDLE_MS, fieldHolder, idleTimeLeft, readFieldClaim, rowOfFieldKey, type Claimant } from '../../dossier/field-claims';
import { useI18n } from '../i18n/i18n';
import { UNDO_PAUSE_MS, fieldInsertion, startsUndoStep, type EditKind } from './undo-steps';
import './shared-field.css';

export interface FieldEditor {
  name: string;
  color: string;
}

export interface FieldClaimant extends Claimant {
  user: FieldEditor;
  /** This page's own claim. */
  self: boolean;
}

/** Every client's field claim, this page's own included. */
export function fieldClaimants(provider: HocuspocusProvider): FieldClaimant[] {
  const awareness = provider.awareness;
  if (!awareness) return [];
  const claimants: FieldClaimant[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    const claim = readFieldClaim(state.field);
    const user = state.user as { name?: unknown; color?: unknown } | undefined;
    if (!claim || !user || typeof user.name !== 'string') continue;
    const color = typeof user.color === 'string' ? user.color : '#555555';
    claimants.push({ clientId, claim, user: { name: user.name, color }, self: clientId === awareness.clientID });
  }
  return claimants;
}

/** Says in awareness which field this page is in (`null`: none). */
export function claimField(provider: HocuspocusProvider, key: string | null): void {
  const awareness = provider.awareness;
  if (!awareness) return;
  if ((readFieldClaim(awareness.getLocalState()?.field)?.key ?? null) === key) return;
  const others = fieldClaimants(provider).filter((claimant) => !claimant.self);
  provider.setAwarenessField('field', key === null ? null : { key, since: claimSince(Date.now(), others, key) });
}

export interface FieldPresence {
  /** Who holds the field: this page (`self`) or someone else. */
  holder(key: string): FieldClaimant | undefined;
  /** The others in the field, its holder first. */
  others(key: string): FieldEditor[];
  /** The others in any field of a row. */
  inRow(row: string): FieldEditor[];
}

/** Re-renders on every awareness change and tells who is in which field of the provider's document. */
export function useFieldPresence(provider: HocuspocusProvider): FieldPresence {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const awareness = provider.awareness;
    if (!awareness) return;
    const changed = () => bump();
    awareness.on('change', changed);
    return () => awareness.off('change', changed);
  }, [provider]);
  const claimants = fieldClaimants(provider);
  const holder = (key: string) => fieldHolder(claimants, key);
  const others = (inField: (key: string) => boolean) =>
    claimants
      .filter((claimant) => !claimant.self && inField(claimant.claim.key))
      .sort((a, b) => a.claim.since - b.claim.since || a.clientId - b.clientId)
      .map((claimant) => claimant.user);
  return {
    holder,
    others: (key) => others((k) => k === key),
    inRow: (row) => others((k) => rowOfFieldKey(k) === row),
  };
}

/** FIELD_IDLE_MS, unless the page was given a shorter one (`ratsdossierFieldIdleMs`: browser tests, which cannot wait two minutes). */
function fieldIdleMs(): number {
  const override = (globalThis as { ratsdossierFieldIdleMs?: unknown }).ratsdossierFieldIdleMs;
  return typeof override === 'number' && override > 0 ? override : FIELD_IDLE_MS;
}

/**
 * Lets go of the field after the idle time without input: `touch` at entering and at every
 * keystroke, `stop` at leaving. `released` tells the page that its claim lapsed.
 */
function useIdleRelease(provider: HocuspocusProvider, focusedRef: { current: boolean }) {
  const [released, setReleased] = useState(false);
  const lastInput = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const stop = () => {
    clearTimeout(timer.current);
    timer.current = undefined;
    setReleased(false);
  };
  // one timer per idle period, not per keystroke: when it fires early (input since), it waits for the rest
  const check = () => {
    const left = idleTimeLeft(lastInput.current, Date.now(), fieldIdleMs());
    if (left > 0) {
      timer.current = setTimeout(check, left);
      return;
    }
    timer.current = undefined;
    if (!focusedRef.current) return;
    claimField(provider, null);
    setReleased(true);
  };
  const touch = () => {
    lastInput.current = Date.now();
    setReleased(false);
    timer.current ??= setTimeout(check, fieldIdleMs());
  };
  useEffect(() => () => clearTimeout(timer.current), []);
  return { released, touch, stop };
}

// ---- undo per field ------------------------------------------------------------

interface FieldHistory {
  undoManager: Y.UndoManager;
  /** Origin of this page's writes to the field: the only changes its UndoManager tracks. */
  origin: object;
}

const histories = new WeakMap<Y.Map<unknown>, Map<string, FieldHistory>>();

function historyOf(scope: Y.Map<unknown>, key: string): FieldHistory {
  const byKey = histories.get(scope) ?? new Map<string, FieldHistory>();
  histories.set(scope, byKey);
  let history = byKey.get(key);
  if (!history) {
    const origin = { field: key };
    history = { undoManager: new Y.UndoManager(scope, { trackedOrigins: new Set([origin]), captureTimeout: UNDO_PAUSE_MS }), origin };
    byKey.set(key, history);
  }
  return history;
}

/** Writes that only restore the holder's value after someone else's arrived: not an undo step. */
const RESTORED = { field: 'restored' };

function transact(scope: Y.Map<unknown>, origin: object, change: () => void): void {
  if (scope.doc) scope.doc.transact(change, origin);
  else change();
}

/** Ctrl+Z: 'undo'; Ctrl+Y or Ctrl+Shift+Z: 'redo' (⌘ on a Mac). */
function undoKey(event: KeyboardEvent): 'undo' | 'redo' | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  const key = event.key.toLowerCase();
  if (key === 'z') return event.shiftKey ? 'redo' : 'undo';
  return key === 'y' && !event.shiftKey ? 'redo' : null;
}

type PassedInputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'onFocus' | 'onBlur' | 'onKeyDown' | 'readOnly' | 'className'>;

/**
 * Grows a one-line textarea to show its whole value, at every render and whenever its width changes
 * (a phone turned, the window narrowed): a long value wraps instead of scrolling inside the field.
 */
function useGrowingHeight(enabled: boolean) {
  const ref = useRef<HTMLTextAreaElement>(null);
  useLayoutEffect(() => fitHeight(ref.current));
  useEffect(() => {
    const element = ref.current;
    if (!enabled || !element || typeof ResizeObserver === 'undefined') return;
    let width = element.clientWidth;
    const observer = new ResizeObserver(() => {
      if (element.clientWidth === width) return;
      width = element.clientWidth;
      fitHeight(element);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [enabled]);
  return ref;
}

function fitHeight(element: HTMLTextAreaElement | null): void {
  if (!element) return;
  element.style.height = 'auto';
  // empty, it is one line high like any input: a long placeholder is cut off, not grown into
  if (element.value === '') return;
  // scrollHeight is the content and padding; the borders come on top (box-sizing: border-box)
  element.style.height = `${element.scrollHeight + element.offsetHeight - element.clientHeight}px`;
}

/**
 * The suggestions that contain what is typed, leaving out the value itself; all the others for an empty field
 * or one that holds a suggestion (to pick another one).
 */
function suggestionsFor(suggestions: readonly string[] | undefined, value: string): string[] {
  if (!suggestions) return [];
  const typed = suggestions.includes(value) ? '' : value.trim().toLocaleLowerCase('de');
  return suggestions.filter((suggestion) => suggestion !== value && suggestion.toLocaleLowerCase('de').includes(typed));
}

/** A line break typed or pasted into a one-line field that wraps: a space, as the value stays one line. */
const oneLine = (text: string) => text.replace(/[ \t]*[\r\n]+[ \t]*/g, ' ');

/**
 * A text input bound to one string in a Y.Map (`scope`; `write` sets it), shown
 * as taken while someone else holds it. `className` goes to the wrapper, which
 * takes the input's place in the layout. `multiline`: a textarea that grows
 * with its value, for values longer than the field is wide (names, file
 * numbers on a phone); the value stays one line (Enter adds no break).
 */
export function SharedInput({
  provider,
  presence,
  scope,
  fieldKey: key,
  value,
  write,
  readOnly = false,
  className,
  multiline = false,
  suggestions,
  ...inputProps
}: {
  provider: HocuspocusProvider;
  presence: FieldPresence;
  scope: Y.Map<unknown>;
  fieldKey: string;
  value: string;
  write: (value: string) => void;
  readOnly?: boolean;
  className?: string;
  multiline?: boolean;
  /**
   * Values to pick from as one types (the bodies of the Beratungsfolge), shown as a list under the field (the ARIA
   * combobox pattern): a <datalist> cannot serve a textarea, and an input cuts off a long committee name on a phone.
   */
  suggestions?: readonly string[];
} & PassedInputProps) {
  const { t } = useI18n();
  const [focused, setFocused] = useState(false);
  const focusedRef = useRef(false);
  /** While this page holds the field: its value as this page means it (as found on entering, then as typed or undone). */
  const intended = useRef<string | null>(null);
  const lastChange = useRef<EditKind | null>(null);
  const idle = useIdleRelease(provider, focusedRef);
  const holder = presence.holder(key);
  const holding = focused && holder?.self === true;
  const takenBy = holder && !holder.self ? holder.user : undefined;
  const others = presence.others(key);
  if (!holding) intended.current = null;
  else intended.current ??= value;

  // another client's value arrived while this page holds the field (both entered it at once): the holder's value stays
  useEffect(() => {
    const mine = intended.current;
    if (holding && mine !== null && value !== mine) transact(scope, RESTORED, () => write(mine));
  });

  // a row deleted under the cursor: leave its field
  useEffect(
    () => () => {
      if (focusedRef.current) claimField(provider, null);
    },
    [provider],
  );

  // asked at the keystroke, not taken from the last render: a keystroke may come before the render that follows entering the field
  const holdsNow = () => focusedRef.current && fieldHolder(fieldClaimants(provider), key)?.self === true;
  const describedBy = `${inputProps.id ?? key}-presence`;
  const shown = others[0];
  const released = focused && idle.released && !takenBy;
  const growing = useGrowingHeight(multiline);
  const [listOpen, setListOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const shownValue = holding ? (intended.current ?? value) : value;
  const matches = suggestionsFor(suggestions, shownValue);
  const listShown = focused && listOpen && holding && !readOnly && matches.length > 0;
  const listId = `${inputProps.id ?? key}-suggestions`;
  /** Writes what this page typed, picked or pasted, in undo steps as in rich text. */
  const change = (next: string) => {
    // typing after the claim lapsed claims the field anew: held at once if it is still free
    if (idle.released) claimField(provider, key);
    if (!holdsNow()) return;
    idle.touch();
    const previous = intended.current ?? value;
    const history = historyOf(scope, key);
    const insertion = fieldInsertion(previous, next);
    const kind: EditKind = insertion ? 'type' : 'delete';
    if ((insertion && startsUndoStep(insertion.before, insertion.inserted)) || lastChange.current !== kind) {
      history.undoManager.stopCapturing();
    }
    lastChange.current = kind;
    intended.current = next;
    transact(scope, history.origin, () => write(next));
  };
  const control = {
    className: `shared-field__input${multiline ? ' shared-field__input--wrapping' : ''}`,
    value: shownValue,
    readOnly: readOnly || takenBy !== undefined,
    title: takenBy ? t('field.taken', { name: takenBy.name }) : inputProps.title,
    'aria-describedby': shown || released ? describedBy : inputProps['aria-describedby'],
    onFocus: () => {
      focusedRef.current = true;
      setFocused(true);
      lastChange.current = null;
      // what a client who entered at the same instant writes before it sees this claim is not kept
      intended.current = value;
      if (!readOnly) {
        historyOf(scope, key).undoManager.stopCapturing();
        claimField(provider, key);
        idle.touch();
      }
    },
    onBlur: () => {
      focusedRef.current = false;
      setFocused(false);
      setListOpen(false);
      setActive(-1);
      idle.stop();
      claimField(provider, null);
    },
    onChange: (event: { target: { value: string } }) => {
      change(multiline ? oneLine(event.target.value) : event.target.value);
      setListOpen(true);
    },
    onKeyDown: (event: KeyboardEvent) => {
      if (suggestions && pickWithKeys(event)) return;
      // a one-line value: Enter adds no line break
      if (multiline && event.key === 'Enter') {
        event.preventDefault();
        return;
      }
      const action = undoKey(event);
      if (!action) return;
      // the browser's own undo would bring back a value this page no longer holds
      event.preventDefault();
      if (!holdsNow()) return;
      const { undoManager } = historyOf(scope, key);
      if (action === 'undo') undoManager.undo();
      else undoManager.redo();
      undoManager.stopCapturing();
      // the value the undo left, at the next render
      intended.current = null;
      lastChange.current = null;
    },
  };
  const combobox = suggestions
    ? {
        role: 'combobox',
        'aria-autocomplete': 'list' as const,
        'aria-expanded': listShown,
        'aria-controls': listId,
        'aria-activedescendant': listShown && active >= 0 ? `${listId}-${active}` : undefined,
      }
    : {};
  /** A picked suggestion replaces the value, as an undo step of its own. */
  const pick = (suggestion: string) => {
    lastChange.current = null;
    change(suggestion);
    lastChange.current = null;
    setListOpen(false);
    setActive(-1);
  };
  /** Arrow keys move through the suggestions (opening them), Enter takes one, Escape closes them; true when the key was theirs. */
  function pickWithKeys(event: KeyboardEvent): boolean {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (matches.length === 0) return false;
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setListOpen(true);
      setActive(listShown ? (active + step + matches.length) % matches.length : step === 1 ? 0 : matches.length - 1);
      return true;
    }
    if (!listShown) return false;
    if (event.key === 'Enter' && active >= 0 && matches[active] !== undefined) {
      event.preventDefault();
      pick(matches[active]);
      return true;
    }
    if (event.key === 'Escape') {
      // closes the list only, not a dialog around the field
      event.preventDefault();
      event.stopPropagation();
      setListOpen(false);
      setActive(-1);
      return true;
    }
    return false;
  }
  return (
    <span
      className={`shared-field${className ? ` ${className}` : ''}${takenBy ? ' shared-field--taken' : shown ? ' shared-field--shared' : released ? ' shared-field--released' : ''}`}
      style={shown ? ({ '--editor-color': (takenBy ?? shown).color } as CSSProperties) : undefined}
      data-field-key={key}
    >
      {multiline ? (
        <textarea {...(inputProps as TextareaHTMLAttributes<HTMLTextAreaElement>)} {...control} {...combobox} ref={growing} rows={1} />
      ) : (
        <input {...inputProps} {...control} {...combobox} />
      )}
      {suggestions && (
        <div id={listId} role="listbox" className="shared-field__suggestions" aria-label={t('field.suggestions')} hidden={!listShown}>
          {listShown &&
            matches.map((suggestion, index) => (
              // the keyboard stays in the field (aria-activedescendant), which handles the keys for the options
              // biome-ignore lint/a11y/useKeyWithClickEvents: see above
              <div
                key={suggestion}
                id={`${listId}-${index}`}
                role="option"
                tabIndex={-1}
                aria-selected={index === active}
                className="shared-field__suggestion"
                // keeps the focus (and the claim) in the field
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => pick(suggestion)}
              >
                {suggestion}
              </div>
            ))}
        </div>
      )}
      {released && !shown && (
        <>
          <span className="shared-field__editors" aria-hidden="true">
            {t('field.releasedShort')}
          </span>
          <span id={describedBy} className="visually-hidden">
            {t('field.released')}
          </span>
        </>
      )}
      {shown && (
        <>
          <span className="shared-field__editors" aria-hidden="true">
            {[...new Set(others.map((other) => other.name))].join(', ')}
          </span>
          <span id={describedBy} className="visually-hidden">
            {takenBy ? t('field.taken', { name: takenBy.name }) : t('field.alsoHere', { names: [...new Set(others.map((other) => other.name))].join(', ') })}
          </span>
        </>
      )}
    </span>
  );
}
