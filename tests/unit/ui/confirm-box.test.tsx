// The one confirmation box (held-back changes, leaving the organisation, removing an instructor): an alert dialog named
// by its question, whose "yes" and way back each do only their own thing.
import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { ConfirmBox } from '../../../src/ui/ConfirmBox';

function box() {
  const taps: string[] = [];
  render(
    <ConfirmBox
      id="q"
      question="Throw away 3 changes?"
      yes="Yes, throw away"
      cancel="Cancel"
      onYes={() => taps.push('yes')}
      onCancel={() => taps.push('cancel')}
    />,
  );
  return taps;
}

describe('ConfirmBox', () => {
  it('is an alert dialog named by its question, with a red yes first', () => {
    box();
    const dialog = screen.getByRole('alertdialog', { name: 'Throw away 3 changes?' });
    const buttons = [...dialog.querySelectorAll('button')];
    expect(buttons.map((b) => b.textContent)).toEqual(['Yes, throw away', 'Cancel']);
    expect(buttons[0]?.className).toBe('button danger');
  });

  it('runs only the chosen way out', () => {
    const taps = box();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, throw away' }));
    expect(taps).toEqual(['cancel', 'yes']);
  });
});
