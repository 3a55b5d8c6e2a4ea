/** Line icons drawn as SVG paths (no icon font, no text glyphs a font may lack). */
const paths = {
  heading2: 'M4 6v12M4 12h8M12 6v12M15.5 10.5a2.2 2.2 0 1 1 4.2 1c-.6 1.4-4.2 3.4-4.2 6.5h4.5',
  heading3: 'M4 6v12M4 12h8M12 6v12M15.5 8.5h4l-2.3 3a2.4 2.4 0 1 1-1.9 4.2',
  bulletList: 'M9 7h11M9 12h11M9 17h11M4.5 7h.01M4.5 12h.01M4.5 17h.01',
  orderedList: 'M10 7h10M10 12h10M10 17h10M4 5.5l1.5-1v5M3.8 14.2a1.3 1.3 0 1 1 2.2 1.2L3.8 18h2.6',
  indent: 'M4 5h16M11 10h9M11 14h9M4 19h16M4 9l3 3-3 3',
  outdent: 'M4 5h16M11 10h9M11 14h9M4 19h16M7 9l-3 3 3 3',
  blockquote: 'M6 17c2-1 3-3 3-6H5V7h4v4M15 17c2-1 3-3 3-6h-4V7h4v4',
  link: 'M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1',
  table: 'M4 5h16v14H4zM4 10h16M4 15h16M10 5v14',
  addRow: 'M4 4h16v9H4zM4 8.5h16M12 16v6M9 19h6',
  addColumn: 'M4 4h9v16H4zM8.5 4v16M16 12h6M19 9v6',
  deleteRow: 'M4 4h16v9H4zM4 8.5h16M9 19h6',
  deleteColumn: 'M4 4h9v16H4zM8.5 4v16M16 12h6',
  deleteTable: 'M4 5h16v14H4zM9 9l6 6M15 9l-6 6',
  undo: 'M9 14L4 9l5-5M4 9h10a6 6 0 0 1 0 12h-3',
  redo: 'M15 14l5-5-5-5M20 9H10a6 6 0 0 0 0 12h3',
  plus: 'M12 5v14M5 12h14',
  up: 'M12 19V5M6 11l6-6 6 6',
  down: 'M12 5v14M6 13l6 6 6-6',
  close: 'M6 6l12 12M18 6L6 18',
  back: 'M19 12H5M11 6l-6 6 6 6',
  download: 'M12 4v11M7 10l5 5 5-5M5 20h14',
} as const;

export type IconName = keyof typeof paths;

export function Icon({ name, size = 18 }: { name: IconName; size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={paths[name]} />
    </svg>
  );
}
