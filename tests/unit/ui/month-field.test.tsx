import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { MonthField } from '../../../src/ui/MonthField';

function typeAndCommit(text: string): void {
  const input = screen.getByLabelText('Kuukausi') as HTMLInputElement;
  fireEvent.input(input, { target: { value: text } });
  fireEvent.change(input, { target: { value: text } });
}

describe('MonthField', () => {
  it('reads a typed month, says which month it shows, and says plainly when it cannot read the text', () => {
    const seen: (string | undefined | null)[] = [];
    const { rerender } = render(<MonthField id="m" label="Kuukausi" month="2026-12" onMonth={(month) => seen.push(month)} />);
    expect((screen.getByLabelText('Kuukausi') as HTMLInputElement).value).toBe('12/2026');
    expect(screen.getByRole('status').textContent).toBe('Näytetään: joulukuu 2026');

    typeAndCommit('marraskuu 2026');
    expect(seen).toEqual(['2026-11']);
    rerender(<MonthField id="m" label="Kuukausi" month="2026-11" onMonth={(month) => seen.push(month)} />);
    expect(screen.getByRole('status').textContent).toBe('Näytetään: marraskuu 2026');

    typeAndCommit('13/2026');
    expect(seen.at(-1)).toBeNull();
    expect(screen.getByRole('alert').textContent).toBe('Kuukautta ei voitu lukea: 13/2026. Kirjoita esimerkiksi 11/2026 tai marraskuu 2026.');
    expect(screen.getByLabelText('Kuukausi').getAttribute('aria-invalid')).toBe('true');

    typeAndCommit('');
    expect(seen.at(-1)).toBeNull(); // a report needs a month
    expect(screen.getByRole('alert').textContent).toBe('Kirjoita kuukausi, esimerkiksi 11/2026 tai marraskuu 2026.');
  });

  it('as a filter, an emptied field means no month, without a complaint', () => {
    const seen: (string | undefined | null)[] = [];
    render(<MonthField id="m" label="Kuukausi" month={undefined} optional onMonth={(month) => seen.push(month)} />);
    typeAndCommit('11.2026');
    typeAndCommit('');
    expect(seen).toEqual(['2026-11', undefined]);
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
