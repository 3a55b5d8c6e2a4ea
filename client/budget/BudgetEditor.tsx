/**
 * The budget table as a live spreadsheet for the finance office. Every cell
 * writes only its own key of its line's Y.Map (an amount: its year's key in
 * `amounts`), so concurrent edits of different cells merge. Typed text stays
 * a local draft until it is committed (blur, Enter, Tab, arrow keys); an
 * amount that does not parse (or is negative) is marked at the cell with its
 * message in the row, never written, and counted for the page's save status
 * and leave warning. A negative amount stored before that rule is marked too.
 * Totals are computed from the live lines, never typed.
 */
import { Fragment, useEffect, useId, useReducer, useRef, useState, type CSSProperties, type FocusEvent, type KeyboardEvent, type ReactNode } from 'react';
import type * as Y from 'yjs';
import { amountErrors, budgetTotals, formatCents, isValidAmount, parseAmount } from '../../dossier/budget';
import { costTypes, recurrences, type BudgetLine } from '../../dossier/content';
import { newId } from '../../dossier/ids';
import {
  accountParts,
  addBudgetLine,
  budgetRoots,
  deleteRow,
  moveRow,
  readBudgetLine,
  readBudgetYears,
  rowsInOrder,
  setBudgetAmount,
  setBudgetLineCell,
  type AccountPart,
  type BudgetLineCells,
} from '../../dossier/layout';
import type { Template } from '../../dossier/template';
import { useYObserve } from '../collab/hooks';
import type { SectionConnection } from '../collab/session';
import { Dialog } from '../components/Dialog';
import { Icon } from '../components/Icon';
import { useI18n } from '../i18n/i18n';
import { cellKey, deletedBy, publishCell, publishDeletedLine, useCellPresence, type CellRef } from './presence';
import { TotalsRows, YearHeads, amountText } from './TotalsRows';

interface Draft {
  text: string;
  /** parseAmount's message once a commit was refused; follows the text until it is valid. */
  error: string | null;
}

/** A line that disappeared under someone who was working in it. */
interface DeletedNotice {
  lineId: string;
  line: BudgetLine | undefined;
  inputs: { column: string; text: string }[];
  by: string | undefined;
}

const AMOUNT = 'amount:';
const amountYear = (column: string) => (column.startsWith(AMOUNT) ? column.slice(AMOUNT.length) : null);
const isAccountPart = (column: string): column is AccountPart => (accountParts as readonly string[]).includes(column);
const uniqueNames = (editors: { name: string }[]) => [...new Set(editors.map((e) => e.name))].join(', ');

const emptyLine = (): BudgetLine => ({
  id: newId(),
  costType: 'sach',
  recurrence: 'laufend',
  description: '',
  account: { produkt: '', kostenstelle: '', sachkonto: '', haushaltsstelle: '' },
  amounts: {},
});

type FocusTarget = { line: string; column: string } | { line: string; action: 'up' | 'down' | 'remove' } | { add: true };

export function BudgetEditor({
  connection,
  scheme,
  onInvalidInputs,
}: {
  connection: SectionConnection;
  scheme: Template['budgetScheme'];
  onInvalidInputs: (count: number) => void;
}) {
  const { t } = useI18n();
  const { provider } = connection;
  const { settings, lines } = budgetRoots(connection.doc);
  useYObserve(lines);
  useYObserve(settings);
  const presence = useCellPresence(provider);
  const idPrefix = useId();

  // Drafts live in a ref, so that a keydown's commit and the blur right after it see the same state.
  const drafts = useRef(new Map<string, Draft>());
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const focused = useRef<CellRef | null>(null);
  const lastSeen = useRef(new Map<string, BudgetLine>());
  const pendingFocus = useRef<FocusTarget | null>(null);
  const tableRef = useRef<HTMLTableElement>(null);
  const addRef = useRef<HTMLButtonElement>(null);
  const [notices, setNotices] = useState<DeletedNotice[]>([]);
  const [confirming, setConfirming] = useState<{ id: string; description: string; names: string } | null>(null);

  // refused inputs are in no document: the page's save status counts them and leaving warns (DossierPage)
  const invalidCount = [...drafts.current.values()].filter((draft) => draft.error !== null).length;
  const reportInvalid = useRef(onInvalidInputs);
  reportInvalid.current = onInvalidInputs;
  useEffect(() => reportInvalid.current(invalidCount), [invalidCount]);
  useEffect(() => () => reportInvalid.current(0), []);

  const maps = rowsInOrder(lines);
  const views = maps.map(readBudgetLine);
  lastSeen.current = new Map(views.map((view) => [view.id, view]));
  const totals = budgetTotals({ ...readBudgetYears(settings), lines: views });
  const { years } = totals;
  const accountColumns: AccountPart[] = scheme === 'kameral' ? ['haushaltsstelle'] : ['produkt', 'kostenstelle', 'sachkonto'];
  const columnLabel = (column: string) => {
    const year = amountYear(column);
    if (year) return year;
    if (isAccountPart(column)) return t(`budget.account.${column}`);
    return t(column === 'description' ? 'budget.description' : column === 'costType' ? 'budget.costType' : 'budget.recurrence');
  };

  // A line deleted by someone else while this user works in it: tell them, and keep what they typed.
  useEffect(() => {
    const observer = (_event: Y.YArrayEvent<Y.Map<unknown>>, transaction: Y.Transaction) => {
      if (transaction.local) return;
      const present = new Set(lines.toArray().map((map) => map.get('id')));
      const gone = new Set<string>();
      if (focused.current && !present.has(focused.current.line)) gone.add(focused.current.line);
      for (const key of drafts.current.keys()) {
        const line = key.slice(0, key.indexOf('\u0000'));
        if (!present.has(line)) gone.add(line);
      }
      if (gone.size === 0) return;
      const added = [...gone].map((lineId): DeletedNotice => {
        const prefix = cellKey(lineId, '');
        const inputs = [...drafts.current]
          .filter(([key, draft]) => key.startsWith(prefix) && draft.text.trim() !== '')
          .map(([key, draft]) => ({ column: key.slice(prefix.length), text: draft.text }));
        for (const key of [...drafts.current.keys()]) if (key.startsWith(prefix)) drafts.current.delete(key);
        return { lineId, line: lastSeen.current.get(lineId), inputs, by: deletedBy(provider, lineId) };
      });
      if (focused.current && gone.has(focused.current.line)) {
        focused.current = null;
        publishCell(provider, null);
      }
      setNotices((previous) => [...previous.filter((n) => !gone.has(n.lineId)), ...added]);
    };
    lines.observe(observer);
    return () => lines.unobserve(observer);
  }, [lines, provider]);

  // Focus that has to wait for the next render: a new line, a moved line, after a deletion.
  useEffect(() => {
    const target = pendingFocus.current;
    if (!target) return;
    let element: HTMLElement | null | undefined;
    if ('add' in target) element = addRef.current;
    else if ('column' in target)
      element = tableRef.current?.querySelector<HTMLElement>(`[data-line-id="${CSS.escape(target.line)}"][data-column="${target.column}"]`);
    else {
      const inLine = (action: string) =>
        tableRef.current?.querySelector<HTMLButtonElement>(`[data-line-id="${CSS.escape(target.line)}"][data-action="${action}"]:not(:disabled)`);
      element = inLine(target.action) ?? inLine(target.action === 'up' ? 'down' : 'up') ?? inLine('remove');
    }
    if (element) {
      pendingFocus.current = null;
      element.focus();
    }
  });

  const focusCell = (row: number, column: string) => {
    const element = tableRef.current?.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-row="${row}"][data-column="${column}"]`);
    if (!element) return;
    element.focus();
    if (element instanceof HTMLInputElement) element.select();
  };

  const setDraft = (line: string, column: string, text: string) => {
    const key = cellKey(line, column);
    const previous = drafts.current.get(key);
    let error: string | null = null;
    if (previous?.error && text.trim() !== '') {
      const parsed = parseAmount(text);
      error = parsed.ok ? null : parsed.error;
    }
    drafts.current.set(key, { text, error });
    rerender();
  };

  const revert = (line: string, column: string) => {
    if (drafts.current.delete(cellKey(line, column))) rerender();
  };

  /** Writes the cell's draft into its line; false (and the cell marked) when an amount does not parse. */
  const commit = (map: Y.Map<unknown>, line: string, column: string): boolean => {
    const key = cellKey(line, column);
    const draft = drafts.current.get(key);
    if (!draft) return true;
    // someone else holds the cell (both entered it at once, and they came first): what was typed here is not written
    if (presence.takenBy(line, column)) {
      drafts.current.delete(key);
      rerender();
      return true;
    }
    const year = amountYear(column);
    if (year) {
      const text = draft.text.trim();
      if (text === '') setBudgetAmount(map, Number(year), undefined);
      else {
        const parsed = parseAmount(text);
        if (!parsed.ok) {
          drafts.current.set(key, { text: draft.text, error: parsed.error });
          rerender();
          return false;
        }
        setBudgetAmount(map, Number(year), parsed.cents);
      }
    } else if (column === 'description' || isAccountPart(column)) {
      setBudgetLineCell(map, column, draft.text);
    }
    drafts.current.delete(key);
    rerender();
    return true;
  };

  const onCellKeyDown = (event: KeyboardEvent<HTMLInputElement | HTMLSelectElement>, map: Y.Map<unknown>, line: string, column: string, row: number) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      revert(line, column);
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const inSelect = event.currentTarget instanceof HTMLSelectElement;
    const step = event.key === 'Enter' || (!inSelect && event.key === 'ArrowDown') ? 1 : !inSelect && event.key === 'ArrowUp' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    if (commit(map, line, column)) focusCell(row + step, column);
  };

  const cellProps = (map: Y.Map<unknown>, line: string, column: string, row: number) => ({
    'data-budget-cell': '',
    'data-line-id': line,
    'data-column': column,
    'data-row': row,
    onFocus: () => {
      focused.current = { line, column };
      publishCell(provider, { line, column });
    },
    onBlur: (event: FocusEvent) => {
      commit(map, line, column);
      if (!(event.relatedTarget instanceof Element && event.relatedTarget.closest('[data-budget-cell]'))) {
        focused.current = null;
        publishCell(provider, null);
      }
    },
    onKeyDown: (event: KeyboardEvent<HTMLInputElement | HTMLSelectElement>) => onCellKeyDown(event, map, line, column, row),
  });

  const cellIdBase = (line: string, column: string) => `${idPrefix}-${line}-${column}`.replace(/[^\w-]/g, '_');

  /** The message of a refused input, or of an amount stored before negative ones were refused (shown as it is, marked until corrected). */
  const cellError = (view: BudgetLine, column: string): string | null => {
    const draft = drafts.current.get(cellKey(view.id, column));
    if (draft) return draft.error;
    const year = amountYear(column);
    const stored = year ? view.amounts[year] : undefined;
    return stored !== undefined && !isValidAmount(stored) ? amountErrors.negative : null;
  };

  /** The messages of a line's marked cells, in the table's flow under the line (a bubble would cover the next line). */
  const lineErrors = (view: BudgetLine) => {
    const errors = years.flatMap((year) => {
      const column = `${AMOUNT}${year}`;
      const error = cellError(view, column);
      return error ? [{ column, error }] : [];
    });
    if (errors.length === 0) return null;
    return (
      <ul className="budget-line-errors">
        {errors.map(({ column, error }) => (
          <li key={column}>
            <span className="budget-line-errors__column">{columnLabel(column)}:</span>{' '}
            <span id={`${cellIdBase(view.id, column)}-error`} role="alert">
              {error}
            </span>
          </li>
        ))}
      </ul>
    );
  };

  /**
   * A table cell with other people's outline and name, and the hint ids for its control (its error is in `lineErrors`);
   * `div`: a labelled field of the line's details row (what classifies the line).
   */
  const cell = (view: BudgetLine, column: string, className: string, control: (describedBy: string | undefined) => ReactNode, Tag: 'td' | 'div' = 'td') => {
    const key = cellKey(view.id, column);
    const others = presence.cells.get(key);
    const error = cellError(view, column);
    const base = cellIdBase(view.id, column);
    const describedBy = [error && `${base}-error`, others && `${base}-editing`].filter(Boolean).join(' ') || undefined;
    return (
      <Tag
        key={column}
        className={`budget-cell ${className}${others ? ' budget-cell--remote' : ''}${error ? ' budget-cell--invalid' : ''}`}
        style={others ? ({ '--editor-color': others[0]!.color } as CSSProperties) : undefined}
      >
        {Tag === 'div' && (
          <span className="budget-detail__label" aria-hidden="true">
            {columnLabel(column)}
          </span>
        )}
        {control(describedBy)}
        {others && (
          <>
            <span className="budget-cell__editor" aria-hidden="true">
              {uniqueNames(others)}
            </span>
            <span id={`${base}-editing`} className="visually-hidden">
              {t('budget.editing', { names: uniqueNames(others) })}
            </span>
          </>
        )}
      </Tag>
    );
  };

  const textCell = (map: Y.Map<unknown>, view: BudgetLine, row: number, column: 'description' | AccountPart) => {
    const stored = column === 'description' ? view.description : view.account[column];
    const draft = drafts.current.get(cellKey(view.id, column));
    const inDetails = column !== 'description';
    return cell(
      view,
      column,
      inDetails ? 'budget-cell--account' : 'budget-cell--description',
      (describedBy) => (
        <input
          {...cellProps(map, view.id, column, row)}
          className="budget-input"
          aria-label={t('budget.cell', { column: columnLabel(column), row: row + 1 })}
          aria-describedby={describedBy}
          autoComplete="off"
          title={stored || undefined}
          readOnly={presence.takenBy(view.id, column) !== undefined}
          value={draft?.text ?? stored}
          onChange={(event) => setDraft(view.id, column, event.target.value)}
        />
      ),
      inDetails ? 'div' : 'td',
    );
  };

  const amountCell = (map: Y.Map<unknown>, view: BudgetLine, row: number, year: number) => {
    const column = `${AMOUNT}${year}`;
    const stored = view.amounts[String(year)];
    const draft = drafts.current.get(cellKey(view.id, column));
    return cell(view, column, 'budget-cell--amount', (describedBy) => (
      <input
        {...cellProps(map, view.id, column, row)}
        className="budget-input num"
        inputMode="decimal"
        autoComplete="off"
        spellCheck={false}
        aria-label={t('budget.cell', { column: String(year), row: row + 1 })}
        aria-invalid={cellError(view, column) ? true : undefined}
        aria-describedby={describedBy}
        value={draft?.text ?? (stored === undefined ? '' : formatCents(stored))}
        onChange={(event) => setDraft(view.id, column, event.target.value)}
      />
    ));
  };

  const selectCell = <C extends 'costType' | 'recurrence'>(
    map: Y.Map<unknown>,
    view: BudgetLine,
    row: number,
    column: C,
    options: readonly BudgetLineCells[C][],
    label: (value: BudgetLineCells[C]) => string,
  ) =>
    cell(
      view,
      column,
      `budget-cell--${column}`,
      (describedBy) => (
        <select
          {...cellProps(map, view.id, column, row)}
          className="budget-input"
          aria-label={t('budget.cell', { column: columnLabel(column), row: row + 1 })}
          aria-describedby={describedBy}
          value={view[column]}
          onChange={(event) => {
            const value = options.find((option) => option === event.target.value);
            if (value !== undefined) setBudgetLineCell(map, column, value);
          }}
        >
          {options.map((value) => (
            <option key={value} value={value}>
              {label(value)}
            </option>
          ))}
        </select>
      ),
      'div',
    );

  const add = () => {
    const line = emptyLine();
    addBudgetLine(connection.doc, line);
    pendingFocus.current = { line: line.id, column: 'description' };
  };

  const move = (from: number, to: number, line: string, action: 'up' | 'down') => {
    moveRow(lines, from, to);
    pendingFocus.current = { line, action };
  };

  const remove = (id: string) => {
    const row = lines.toArray().find((map) => map.get('id') === id);
    if (!row) return;
    const shown = views.findIndex((view) => view.id === id);
    const neighbour = views[shown + 1] ?? views[shown - 1];
    publishDeletedLine(provider, id);
    deleteRow(lines, row);
    const prefix = cellKey(id, '');
    for (const key of [...drafts.current.keys()]) if (key.startsWith(prefix)) drafts.current.delete(key);
    pendingFocus.current = neighbour ? { line: neighbour.id, action: 'remove' } : { add: true };
    rerender();
  };

  const askRemove = (view: BudgetLine) => {
    const editors = presence.lines.get(view.id);
    if (editors?.length) setConfirming({ id: view.id, description: view.description || t('budget.untitled'), names: uniqueNames(editors) });
    else remove(view.id);
  };

  const restore = (notice: DeletedNotice) => {
    const base = notice.line ?? emptyLine();
    const line: BudgetLine = { ...base, id: newId(), account: { ...base.account }, amounts: {} };
    const invalid: { column: string; text: string; error: string }[] = [];
    for (const [year, cents] of Object.entries(base.amounts)) {
      if (isValidAmount(cents)) line.amounts[year] = cents;
      else invalid.push({ column: `${AMOUNT}${year}`, text: formatCents(cents), error: amountErrors.negative });
    }
    for (const { column, text } of notice.inputs) {
      const year = amountYear(column);
      if (year) {
        const parsed = parseAmount(text);
        if (parsed.ok) line.amounts[year] = parsed.cents;
        else invalid.push({ column, text, error: parsed.error });
      } else if (column === 'description') line.description = text;
      else if (isAccountPart(column)) line.account[column] = text;
    }
    addBudgetLine(connection.doc, line);
    // what cannot be written waits in the new line's cells, marked as before
    for (const { column, text, error } of invalid) drafts.current.set(cellKey(line.id, column), { text, error });
    setNotices((previous) => previous.filter((n) => n !== notice));
    pendingFocus.current = { line: line.id, column: 'description' };
  };

  // the money in one row, so that it stays in view; what classifies a line in a second row under it, so the table fits the page
  const columns = 2 + years.length + 2;

  return (
    <div className="budget-editor">
      {notices.map((notice) => {
        const name = notice.by ?? deletedBy(provider, notice.lineId);
        const line = notice.line?.description || t('budget.untitled');
        return (
          <div key={notice.lineId} className="notice budget-notice" role="alert">
            <p>{name ? t('budget.deletedBy', { line, name }) : t('budget.deleted', { line })}</p>
            {notice.inputs.length > 0 && (
              <>
                <p>{t('budget.deletedInput')}</p>
                <ul>
                  {notice.inputs.map(({ column, text }) => (
                    <li key={column}>
                      {columnLabel(column)}: <strong>{text}</strong>
                    </li>
                  ))}
                </ul>
              </>
            )}
            <div className="budget-notice__actions">
              <button type="button" className="button button--secondary button--small" onClick={() => restore(notice)}>
                {t('budget.restore')}
              </button>
              <button type="button" className="button button--link" onClick={() => setNotices((previous) => previous.filter((n) => n !== notice))}>
                {t('budget.dismiss')}
              </button>
            </div>
          </div>
        );
      })}
      <p className="budget-editor__hint" id={`${idPrefix}-hint`}>
        {t('budget.hint')}
      </p>
      <p className="budget-editor__invalid" role="status" data-invalid-inputs={invalidCount}>
        {invalidCount > 0 && t('save.invalid', { count: invalidCount })}
      </p>
      <div className="table-scroll budget-editor__scroll" role="region" aria-label={t('budget.caption')} tabIndex={0}>
        <table ref={tableRef} className="budget-grid" aria-describedby={`${idPrefix}-hint`}>
          <caption className="visually-hidden">{t('budget.caption')}</caption>
          <thead>
            <tr>
              <th scope="col" className="budget-grid__number">
                {t('budget.number')}
              </th>
              <th scope="col" className="budget-grid__description">
                {t('budget.description')}
              </th>
              <YearHeads years={years} />
              <th scope="col">
                <span className="visually-hidden">{t('budget.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {views.length === 0 && (
              <tr>
                <td colSpan={columns} className="muted budget-grid__empty">
                  {t('budget.noLines')}
                </td>
              </tr>
            )}
            {views.map((view, row) => {
              const map = maps[row]!;
              const sum = years.reduce((total, year) => total + (view.amounts[String(year)] ?? 0), 0);
              const n = row + 1;
              return (
                <Fragment key={view.id}>
                  <tr data-line-id={view.id} className="budget-grid__line">
                    <th scope="row" rowSpan={2} className="budget-grid__number">
                      {n}
                    </th>
                    {textCell(map, view, row, 'description')}
                    {years.map((year) => amountCell(map, view, row, year))}
                    <td className="num budget-sum" data-line-sum={view.id}>
                      {amountText(sum)}
                    </td>
                    <td rowSpan={2} className="budget-grid__actions">
                      <span className="row-actions">
                        {(
                          [
                            {
                              action: 'up',
                              icon: 'up',
                              label: t('budget.moveUp', { row: n }),
                              disabled: row === 0,
                              run: () => move(row, row - 1, view.id, 'up'),
                            },
                            {
                              action: 'down',
                              icon: 'down',
                              label: t('budget.moveDown', { row: n }),
                              disabled: row === views.length - 1,
                              run: () => move(row, row + 1, view.id, 'down'),
                            },
                            { action: 'remove', icon: 'close', label: t('budget.remove', { row: n }), disabled: false, run: () => askRemove(view) },
                          ] as const
                        ).map(({ action, icon, label, disabled, run }) => (
                          <button
                            key={action}
                            type="button"
                            className={`icon-button${action === 'remove' ? ' icon-button--danger' : ''}`}
                            data-line-id={view.id}
                            data-action={action}
                            aria-label={label}
                            title={label}
                            disabled={disabled}
                            onClick={run}
                          >
                            <Icon name={icon} size={15} />
                          </button>
                        ))}
                      </span>
                    </td>
                  </tr>
                  <tr className="budget-grid__details" data-details-for={view.id}>
                    <td colSpan={years.length + 2} className="budget-grid__details-cell">
                      {lineErrors(view)}
                      <div className="budget-details">
                        {selectCell(map, view, row, 'costType', costTypes, (type) => t(`budget.costType.${type}`))}
                        {selectCell(map, view, row, 'recurrence', recurrences, (value) => t(`budget.recurrence.${value}`))}
                        {accountColumns.map((part) => textCell(map, view, row, part))}
                      </div>
                    </td>
                  </tr>
                </Fragment>
              );
            })}
          </tbody>
          <tfoot>
            <TotalsRows totals={totals} labelSpan={2} trailingSpan={1} />
          </tfoot>
        </table>
      </div>
      <button ref={addRef} type="button" className="button button--secondary button--small budget-editor__add" data-action="add" onClick={add}>
        <Icon name="plus" /> {t('budget.add')}
      </button>
      <Dialog title={t('budget.confirmTitle')} open={confirming !== null} onClose={() => setConfirming(null)}>
        {confirming && (
          <>
            <p>{t('budget.confirmText', { names: confirming.names, line: confirming.description })}</p>
            <div className="dialog__actions">
              <button type="button" className="button button--secondary" onClick={() => setConfirming(null)}>
                {t('budget.cancel')}
              </button>
              <button
                type="button"
                className="button button--primary budget-confirm-delete"
                onClick={() => {
                  remove(confirming.id);
                  setConfirming(null);
                }}
              >
                {t('budget.confirmDelete')}
              </button>
            </div>
          </>
        )}
      </Dialog>
    </div>
  );
}
