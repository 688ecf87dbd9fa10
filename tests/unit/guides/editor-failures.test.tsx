// A guide editor action whose IndexedDB write fails (the tablet's storage is full) shows the area's plain-words error
// screen, instead of an unhandled rejection and a screen that acts as if the step were gone.
import { fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, vi } from 'vitest';
import { stepsOfGuide } from '../../../src/db/guides';
import GuideEditorScreen from '../../../src/guides/editor/GuideEditorScreen';
import { addStep, createGuide } from '../../../src/guides/editor/guide-edits';
import { ErrorBoundary } from '../../../src/ui/ErrorBoundary';
import { it } from '../support/database';

const WORDS = { title: 'Something went wrong', text: 'This screen could not be shown.', retry: 'Try again', back: 'Back to the start' };

/** Every write to IndexedDB from now on fails as a browser with a full disk answers it. */
function storageFull(): void {
  const full = () => {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  };
  vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(full);
  vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(full);
}

const unhandled: unknown[] = [];
const collect = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', collect);
  vi.spyOn(console, 'error').mockImplementation(() => undefined); // the boundary and the write queue log what failed
});
afterEach(() => {
  process.off('unhandledRejection', collect);
  vi.restoreAllMocks();
});

describe('a guide editor write that fails', () => {
  it('deleting a step shows the error screen, not "step deleted", and nothing is left unhandled', async () => {
    const guideId = await createGuide({ title: 'Sähköposti', summary: '', lang: 'fi', category: 'contact', tags: [] });
    const stepId = await addStep(guideId);
    render(
      <ErrorBoundary words={WORDS} backHref="/instructor/guides" resetKey={`/instructor/guides/${guideId}`}>
        <GuideEditorScreen params={{ id: guideId }} />
      </ErrorBoundary>,
    );
    const remove = await screen.findByRole('button', { name: 'Poista vaihe 1' });
    storageFull();
    fireEvent.click(remove);

    expect((await screen.findByRole('alert')).textContent).toBe(WORDS.text);
    expect(screen.getByRole('heading', { level: 1, name: WORDS.title })).toBeTruthy();
    expect(screen.queryByText('Vaihe 1 poistettiin.')).toBeNull();
    expect(unhandled).toEqual([]); // the failure went to the boundary (findByRole waited many ticks for it)
    vi.mocked(IDBObjectStore.prototype.put).mockRestore();
    vi.mocked(IDBObjectStore.prototype.add).mockRestore();
    expect((await stepsOfGuide(guideId)).map((step) => step.id)).toEqual([stepId]); // the step is still there
  });
});
