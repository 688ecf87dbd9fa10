// The one busy / error / done pattern of the lock and sync forms: busy while the work runs, a second tap does nothing,
// the outcome in the screen's words afterwards, and no failure left unhandled.
import { act, fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { useSubmit } from '../../../src/ui/use-submit';

class Refused extends Error {}

/** A form whose work waits for the test to finish it, so the test sees it mid-run. */
function harness(leaves = false) {
  const runs: { finish: (outcome: string) => void; fail: (error: Error) => void }[] = [];
  function Form() {
    const saving = useSubmit<string, string>({
      describe: (failure) => (failure instanceof Refused ? 'Refused in plain words' : 'Something went wrong'),
      leaves,
    });
    const submit = (event: Event) => {
      event.preventDefault();
      return saving.run(() => new Promise<string>((finish, fail) => runs.push({ finish, fail })));
    };
    return (
      <form onSubmit={submit}>
        {saving.error && <p role="alert">{saving.error}</p>}
        {saving.done && <p role="status">{saving.done}</p>}
        <button type="button" onClick={() => saving.refuse('Fill in the name')}>
          Check
        </button>
        <button type="submit" disabled={saving.busy}>
          Save
        </button>
      </form>
    );
  }
  render(<Form />);
  const save = () => screen.getByRole<HTMLButtonElement>('button', { name: 'Save' });
  return { runs, save, submit: () => act(() => void fireEvent.submit(save().form!)) };
}

describe('useSubmit', () => {
  it('is busy while the work runs, runs it once however often it is submitted, then shows what it gave back', async () => {
    const { runs, save, submit } = harness();
    await submit();
    await submit(); // a second tap before the first is done
    expect(runs).toHaveLength(1);
    expect(save().disabled).toBe(true);
    await act(async () => runs[0]!.finish('Saved'));
    expect(screen.getByRole('status').textContent).toBe('Saved');
    expect(save().disabled).toBe(false);
  });

  it("shows a failure in the screen's words, clears it when run again, and the form can be used again", async () => {
    const { runs, save, submit } = harness();
    await submit();
    await act(async () => runs[0]!.fail(new Refused()));
    expect(screen.getByRole('alert').textContent).toBe('Refused in plain words');
    expect(save().disabled).toBe(false);
    await submit();
    expect(screen.queryByRole('alert')).toBeNull();
    await act(async () => runs[1]!.fail(new TypeError('bug')));
    expect(screen.getByRole('alert').textContent).toBe('Something went wrong');
  });

  it('shows a problem found before the work, clearing what was done', async () => {
    const { runs, submit } = harness();
    await submit();
    await act(async () => runs[0]!.finish('Saved'));
    await act(() => void fireEvent.click(screen.getByRole('button', { name: 'Check' })));
    expect(screen.getByRole('alert').textContent).toBe('Fill in the name');
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('stays busy after work that ends by leaving the screen, but not after it failed', async () => {
    const { runs, save, submit } = harness(true);
    await submit();
    await act(async () => runs[0]!.fail(new Refused()));
    expect(save().disabled).toBe(false);
    await submit();
    await act(async () => runs[1]!.finish('Gone'));
    expect(save().disabled).toBe(true);
    await submit();
    expect(runs).toHaveLength(2);
  });
});
