// Owns how a moment is written in files people open: the date and clock time in Helsinki, where the drop-ins happen,
// whatever time zone the tablet or the server machine is set to. Pure; imports nothing.

const PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Helsinki',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "2026-03-10" and "12:00" in Helsinki time; empty strings for anything that is not a time. */
export function helsinkiDateTime(ms: unknown): { date: string; time: string } {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return { date: '', time: '' };
  const part = Object.fromEntries(PARTS.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return { date: `${part.year}-${part.month}-${part.day}`, time: `${part.hour}:${part.minute}` };
}
