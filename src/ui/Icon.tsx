// Owns the small line icons of the shell; decorative, so hidden from screen readers (labels carry the meaning).
const paths = {
  home: 'M3 11 12 4l9 7M5 10v10h5v-6h4v6h5V10',
  settings: 'M12 8.5a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7ZM4 12h2m12 0h2M12 4v2m0 12v2M6.3 6.3l1.4 1.4m8.6 8.6 1.4 1.4m0-11.4-1.4 1.4m-8.6 8.6-1.4 1.4',
  lock: 'M6 11h12v9H6zM8.5 11V8a3.5 3.5 0 0 1 7 0v3',
  back: 'M15 5l-7 7 7 7',
  forward: 'M9 5l7 7-7 7',
  speaker: 'M4 9v6h4l5 4V5L8 9H4zM16.5 8.5a5 5 0 0 1 0 7M19 6a8.5 8.5 0 0 1 0 12',
  stop: 'M7 7h10v10H7z',
  online: 'M4 10a12 12 0 0 1 16 0M7 13.5a7.5 7.5 0 0 1 10 0M10 17a3 3 0 0 1 4 0M12 20h0',
  offline: 'M4 10a12 12 0 0 1 16 0M7 13.5a7.5 7.5 0 0 1 10 0M12 20h0M4 4l16 16',
  contact: 'M4 5h16v11H9l-5 4zM8 9h8M8 12h5',
  authorities: 'M4 9h16L12 4zM6 9v8m4-8v8m4-8v8m4-8v8M4 20h16',
  books: 'M4 5a2 2 0 0 1 2-1h5v16H6a2 2 0 0 0-2 1zM20 5a2 2 0 0 0-2-1h-5v16h5a2 2 0 0 1 2 1z',
  safety: 'M12 3 5 6v5c0 4.5 3 8 7 10 4-2 7-5.5 7-10V6zM9 12l2 2 4-4',
  device: 'M8 3h8a1 1 0 0 1 1 1v16a1 1 0 0 1-1 1H8a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1zM11 18h2',
  say: 'M4 13h16v7H4zM8 13V4h8v9M10 8.5l1.5 1.5 3-3M9 16.5h6',
  tip: 'M9 18h6M10 21h4M12 3a6 6 0 0 0-3.5 10.9c.6.5 1 1.2 1 2.1h5c0-.9.4-1.6 1-2.1A6 6 0 0 0 12 3z',
  hand:
    'M8 13V5.5a1.5 1.5 0 0 1 3 0V11m0-1.5a1.5 1.5 0 0 1 3 0V11m0-.5a1.5 1.5 0 0 1 3 0V15' +
    'a6 6 0 0 1-6 6h-.5a6 6 0 0 1-4.7-2.3L4 15.5a1.5 1.5 0 0 1 2.3-1.9L8 15.5',
} as const;

export type IconName = keyof typeof paths;

/** A named icon, or any other line picture in the same style (24-unit grid, 2-unit round strokes) given by its path. */
export function Icon({ name, d = paths[name as IconName], size = 24 }: { size?: number } & ({ name: IconName; d?: never } | { d: string; name?: never })) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={d} />
    </svg>
  );
}
