// Files show Helsinki time: winter UTC+2, summer UTC+3, the day turning at Helsinki midnight, whatever the machine's zone.
import { describe, expect, it } from 'vitest';
import { helsinkiDateTime } from '../../../src/lib/helsinki-time';

describe('Helsinki time in files', () => {
  it('writes winter and summer times as Helsinki clocks show them', () => {
    expect(helsinkiDateTime(Date.UTC(2026, 0, 13, 10, 5))).toEqual({ date: '2026-01-13', time: '12:05' });
    expect(helsinkiDateTime(Date.UTC(2026, 6, 13, 10, 5))).toEqual({ date: '2026-07-13', time: '13:05' });
  });

  it('turns the day at Helsinki midnight, not at UTC midnight', () => {
    expect(helsinkiDateTime(Date.UTC(2026, 11, 31, 22, 30))).toEqual({ date: '2027-01-01', time: '00:30' });
  });

  it('leaves a cell empty for anything that is not a time', () => {
    for (const value of [undefined, null, 'x', Number.NaN, Number.POSITIVE_INFINITY, 1e20]) expect(helsinkiDateTime(value)).toEqual({ date: '', time: '' });
  });
});
