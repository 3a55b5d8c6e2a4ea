/**
 * The page's one formatting toolbar: it acts on the rich-text field that has
 * or last had focus (./formatting) and says which one; without one, or on a
 * read-only field, its buttons are disabled and a hint says why. One tab
 * stop; the arrow keys, Home and End move between the buttons (WAI-ARIA
 * toolbar pattern); Alt+F10 in a field comes here and Escape goes back, as in
 * Word.
 */
import type { Editor } from '@tiptap/core';
import { useEditorState } from '@tiptap/react';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { linkTarget } from '../../dossier/links';
import { Dialog } from '../components/Dialog';
import { Icon } from '../components/Icon';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { useFormatting } from './formatting';

interface Action {
  key: MessageKey;
  icon: ReactNode;
  run: () => void;
  active?: boolean;
  disabled?: boolean;
  separatorBefore?: boolean;
}

const inactive = {
  bold: false,
  italic: false,
  underline: false,
  strike: false,
  h2: false,
  h3: false,
  bulletList: false,
  orderedList: false,
  blockquote: false,
  link: false,
  table: false,
  canSink: false,
  canLift: false,
  canUndo: false,
  canRedo: false,
};

export function Toolbar() {
  const { t } = useI18n();
  const formatting = useFormatting();
  const target = formatting?.target ?? null;
  const editor = target?.editable ? target.editor : null;
  const [linkOpen, setLinkOpen] = useState(false);
  const editorState = useEditorState({
    editor,
    selector: ({ editor: e }) => (e ? selectorState(e) : inactive),
  });
  // without a writable field nothing shows as pressed, whatever the last field's state was
  const state = (editor && editorState) || inactive;
  const chain = () => editor!.chain().focus();

  const actions: Action[] = [
    { key: 'toolbar.bold', icon: <b>F</b>, run: () => chain().toggleBold().run(), active: state.bold },
    { key: 'toolbar.italic', icon: <i>K</i>, run: () => chain().toggleItalic().run(), active: state.italic },
    { key: 'toolbar.underline', icon: <u>U</u>, run: () => chain().toggleUnderline().run(), active: state.underline },
    { key: 'toolbar.strike', icon: <s>S</s>, run: () => chain().toggleStrike().run(), active: state.strike },
    { key: 'toolbar.heading2', icon: <Icon name="heading2" />, run: () => chain().toggleHeading({ level: 2 }).run(), active: state.h2, separatorBefore: true },
    { key: 'toolbar.heading3', icon: <Icon name="heading3" />, run: () => chain().toggleHeading({ level: 3 }).run(), active: state.h3 },
    {
      key: 'toolbar.bulletList',
      icon: <Icon name="bulletList" />,
      run: () => chain().toggleBulletList().run(),
      active: state.bulletList,
      separatorBefore: true,
    },
    { key: 'toolbar.orderedList', icon: <Icon name="orderedList" />, run: () => chain().toggleOrderedList().run(), active: state.orderedList },
    { key: 'toolbar.indent', icon: <Icon name="indent" />, run: () => chain().sinkListItem('listItem').run(), disabled: !state.canSink },
    { key: 'toolbar.outdent', icon: <Icon name="outdent" />, run: () => chain().liftListItem('listItem').run(), disabled: !state.canLift },
    { key: 'toolbar.blockquote', icon: <Icon name="blockquote" />, run: () => chain().toggleBlockquote().run(), active: state.blockquote },
    { key: 'toolbar.link', icon: <Icon name="link" />, run: () => setLinkOpen(true), active: state.link, separatorBefore: true },
    {
      key: 'toolbar.table',
      icon: <Icon name="table" />,
      run: () => chain().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(),
      disabled: state.table,
    },
    ...(state.table
      ? [
          { key: 'toolbar.addRow', icon: <Icon name="addRow" />, run: () => chain().addRowAfter().run() } as Action,
          { key: 'toolbar.addColumn', icon: <Icon name="addColumn" />, run: () => chain().addColumnAfter().run() } as Action,
          { key: 'toolbar.deleteRow', icon: <Icon name="deleteRow" />, run: () => chain().deleteRow().run() } as Action,
          { key: 'toolbar.deleteColumn', icon: <Icon name="deleteColumn" />, run: () => chain().deleteColumn().run() } as Action,
          { key: 'toolbar.deleteTable', icon: <Icon name="deleteTable" />, run: () => chain().deleteTable().run() } as Action,
        ]
      : []),
    { key: 'toolbar.undo', icon: <Icon name="undo" />, run: () => chain().undo().run(), disabled: !state.canUndo, separatorBefore: true },
    { key: 'toolbar.redo', icon: <Icon name="redo" />, run: () => chain().redo().run(), disabled: !state.canRedo },
  ];

  const [focusIndex, setFocusIndex] = useState(0);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const current = Math.min(focusIndex, actions.length - 1);
  const move = (event: KeyboardEvent) => {
    const last = actions.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? (current + 1) % actions.length
        : event.key === 'ArrowLeft'
          ? (current - 1 + actions.length) % actions.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null;
    if (event.key === 'Escape' && target) {
      // back to the text, where the selection still is
      event.preventDefault();
      target.editor.commands.focus();
      return;
    }
    if (next === null) return;
    event.preventDefault();
    setFocusIndex(next);
    buttons.current[next]?.focus();
  };

  // a field's Alt+F10 or Ctrl+K, answered once each
  const request = formatting?.request;
  const answered = useRef(0);
  useEffect(() => {
    if (!request || request.serial === answered.current) return;
    answered.current = request.serial;
    if (request.kind === 'toolbar') buttons.current[current]?.focus();
    else setLinkOpen(true);
  }, [request, current]);

  const hint = !target
    ? t('toolbar.noTarget')
    : target.editable
      ? t('toolbar.target', { section: target.label })
      : t('toolbar.readOnly', { section: target.label });

  return (
    <>
      <div
        className={`toolbar${editor ? '' : ' toolbar--idle'}`}
        role="toolbar"
        aria-label={editor ? t('toolbar.label', { section: target!.label }) : t('toolbar.labelIdle')}
        aria-describedby="toolbar-hint"
        onKeyDown={move}
      >
        <span className="toolbar__buttons">
          {actions.map((action, index) => (
            <span key={action.key} className={action.separatorBefore ? 'toolbar__group-start' : undefined}>
              <button
                ref={(element) => {
                  buttons.current[index] = element;
                }}
                type="button"
                className="toolbar__button"
                tabIndex={index === current ? 0 : -1}
                aria-label={t(action.key)}
                title={t(action.key)}
                aria-pressed={action.active === undefined ? undefined : action.active}
                aria-disabled={!editor || action.disabled || undefined}
                // Keep the editor's selection: the click must not move focus first.
                onMouseDown={(event) => event.preventDefault()}
                onFocus={() => setFocusIndex(index)}
                onClick={() => {
                  if (editor && !action.disabled) action.run();
                }}
              >
                <span aria-hidden="true">{action.icon}</span>
              </button>
            </span>
          ))}
        </span>
        <span id="toolbar-hint" className="toolbar__hint" title={editor ? t('toolbar.keys') : undefined}>
          {hint}
        </span>
      </div>
      {editor && <LinkDialog open={linkOpen} editor={editor} onClose={() => setLinkOpen(false)} />}
    </>
  );
}

function selectorState(e: Editor): typeof inactive {
  return {
    bold: e.isActive('bold'),
    italic: e.isActive('italic'),
    underline: e.isActive('underline'),
    strike: e.isActive('strike'),
    h2: e.isActive('heading', { level: 2 }),
    h3: e.isActive('heading', { level: 3 }),
    bulletList: e.isActive('bulletList'),
    orderedList: e.isActive('orderedList'),
    blockquote: e.isActive('blockquote'),
    link: e.isActive('link'),
    table: e.isActive('table'),
    canSink: e.can().sinkListItem('listItem'),
    canLift: e.can().liftListItem('listItem'),
    canUndo: e.can().undo(),
    canRedo: e.can().redo(),
  };
}

function LinkDialog({ open, editor, onClose }: { open: boolean; editor: Editor; onClose: () => void }) {
  const { t } = useI18n();
  const [href, setHref] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [wasOpen, setWasOpen] = useState(false);
  if (open !== wasOpen) {
    setWasOpen(open);
    if (open) {
      setHref((editor.getAttributes('link').href as string | undefined) ?? '');
      setError(null);
    }
  }
  const close = () => {
    onClose();
    editor.commands.focus();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = linkTarget(href);
    if (!value) {
      setError(t('link.invalid'));
      return;
    }
    if (editor.state.selection.empty && !editor.isActive('link')) {
      // nothing selected: the address itself becomes the link's text, as in Word
      editor
        .chain()
        .focus()
        .insertContent({ type: 'text', text: href.trim(), marks: [{ type: 'link', attrs: { href: value } }] })
        .run();
    } else {
      editor.chain().focus().extendMarkRange('link').setLink({ href: value }).run();
    }
    onClose();
  };
  return (
    <Dialog title={t('link.title')} open={open} onClose={close}>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="link-href">{t('link.url')}</label>
          <input
            id="link-href"
            type="text"
            inputMode="url"
            autoComplete="url"
            placeholder="www.musterstadt.de"
            autoFocus
            value={href}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'link-href-error' : undefined}
            onChange={(event) => {
              setHref(event.target.value);
              setError(null);
            }}
          />
          {error && (
            <p id="link-href-error" className="field__error" role="alert">
              {error}
            </p>
          )}
        </div>
        <div className="dialog__actions">
          {editor.isActive('link') && (
            <button
              type="button"
              className="button button--secondary"
              onClick={() => {
                editor.chain().focus().extendMarkRange('link').unsetLink().run();
                onClose();
              }}
            >
              {t('link.remove')}
            </button>
          )}
          <button type="button" className="button button--secondary" onClick={close}>
            {t('create.cancel')}
          </button>
          <button type="submit" className="button button--primary">
            {t('link.apply')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
