// Every change in the log form is saved at once as a draft (with its outbox row); a note with personal data never is.
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeAll, beforeEach, describe, expect, vi } from 'vitest';
import { isPending, setPlace } from '../../../src/db/changes';
import { db } from '../../../src/db/db';
import { it } from '../support/database';
import { initI18n } from '../../../src/i18n';
import { findLogs } from '../../../src/sessions/log-list';
import SessionLogScreen from '../../../src/sessions/SessionLogScreen';
import { deleteLog, lastUsedFormat, PersonalDataInNote, saveLogFields } from '../../../src/sessions/log-edits';
import { holdDataKey, newDataKey } from '../../../src/lock/data-key';
import { readNote } from '../../../src/sessions/notes';

beforeAll(async () => {
  await initI18n('en');
});
beforeEach(async () => {
  await setPlace('org-1', 'site-1');
  holdDataKey(await newDataKey()); // the instructor area is unlocked: notes are written under the data key
  history.replaceState(null, '', '/instructor/sessions/new');
});

async function onlyLog() {
  await waitFor(async () => expect(await db().sessions.count()).toBe(1));
  return (await db().sessions.toArray())[0]!;
}

describe('the log form', () => {
  it('writes nothing until the first change, then a draft with the prefilled fields and the change', async () => {
    render(<SessionLogScreen params={{}} />);
    await screen.findByRole('heading', { level: 1, name: 'New session log' });
    expect(await db().sessions.count()).toBe(0);
    fireEvent.click(screen.getByRole('radio', { name: 'Walk-in hours' }));
    const row = await onlyLog();
    expect(row).toMatchObject({ status: 'draft', format: 'walk-in', channel: 'in-person', instructorId: null, site: 'site-1', deleted: 0 });
    expect(Math.abs(row.startedAt - Date.now())).toBeLessThan(60_000);
    expect(await isPending('sessions', row.id)).toBe(true);
    expect(location.pathname).toBe(`/instructor/sessions/${row.id}`);
    expect(await lastUsedFormat()).toBe('walk-in');
  });

  it('saves every stepper tap and chip in the order they were made', async () => {
    render(<SessionLogScreen params={{}} />);
    await screen.findByRole('heading', { level: 1 });
    const add = screen.getByRole('button', { name: 'Add one: Group members, New' });
    fireEvent.click(add);
    fireEvent.click(add);
    fireEvent.click(add);
    fireEvent.click(screen.getByRole('button', { name: 'Add one: Onlookers, Returning' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Security' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Attachments' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Security' }));
    await waitFor(async () => {
      const row = (await db().sessions.toArray())[0];
      expect(row).toMatchObject({ participants: { member: { new: 3, returning: 0 }, onlooker: { new: 0, returning: 1 } }, topics: ['attachments'] });
    });
    expect(screen.getByText('4 people in all')).toBeTruthy();
  });

  it('saves the note after a pause, but not while it looks like it holds a phone number', async () => {
    render(<SessionLogScreen params={{}} />);
    await screen.findByRole('heading', { level: 1 });
    const note = screen.getByRole('textbox', { name: 'Short note' });
    fireEvent.input(note, { target: { value: 'Kela attachment sent' } });
    await waitFor(async () => expect(await readNote((await onlyLog()).note)).toBe('Kela attachment sent'));
    expect((await onlyLog()).note).toMatch(/^enc:v1:/); // never in clear at rest
    // The typing pause runs on fake timers: every timer pending after the blur is run at once, whatever its delay.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      fireEvent.input(note, { target: { value: 'Kela attachment sent, call 040 123 4567' } });
      expect(screen.getByRole('alert').textContent).toContain('a phone number');
      fireEvent.blur(note);
      vi.runOnlyPendingTimers();
    } finally {
      vi.useRealTimers();
    }
    // A later change is written through the same queue after any note save: once it is stored, a note save would be.
    fireEvent.click(screen.getByRole('radio', { name: 'One-to-one' }));
    await waitFor(async () => expect((await onlyLog()).format).toBe('one-to-one'));
    expect(await readNote((await onlyLog()).note)).toBe('Kela attachment sent');
    const outboxNotes = (await db().outbox.toArray()).map((entry) => entry.fields.note).filter(Boolean);
    expect(await Promise.all(outboxNotes.map(readNote))).toEqual(['Kela attachment sent']); // queued under the data key: no organisation key yet
  });

  it('finalises a log, which then opens again as saved and editable', async () => {
    const { unmount } = render(<SessionLogScreen params={{}} />);
    await screen.findByRole('heading', { level: 1 });
    fireEvent.click(screen.getByRole('radio', { name: 'One-to-one' }));
    fireEvent.click(screen.getByRole('radio', { name: 'Did it alone' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add one: Participants, New' }));
    fireEvent.click(screen.getByRole('button', { name: 'Finalise' }));
    await waitFor(() => expect(location.pathname).toBe('/instructor/sessions'));
    const row = await onlyLog();
    expect(row).toMatchObject({ status: 'final', format: 'one-to-one', outcome: 'did-it-alone' });
    unmount();
    render(<SessionLogScreen params={{ id: row.id }} />);
    await screen.findByText('Finalised. You can still edit it.');
    expect((screen.getByRole('radio', { name: 'Did it alone' }) as HTMLInputElement).checked).toBe(true);
  });
});

describe('the log store', () => {
  it('refuses a note with personal data before anything is written', async () => {
    expect(() => saveLogFields('x', { note: 'hetu 131052-308T' })).toThrow(PersonalDataInNote);
    expect(await db().sessions.count()).toBe(0);
    expect(await db().outbox.count()).toBe(0);
  });

  it('hides a deleted log from the list but keeps its tombstone for sync', async () => {
    await saveLogFields('a', { status: 'final', startedAt: 1_000, format: 'group', topics: [] });
    await saveLogFields('b', { status: 'final', startedAt: 2_000, format: 'group', topics: [] });
    await deleteLog('a');
    expect((await findLogs({})).logs.map((log) => log.id)).toEqual(['b']);
    expect((await db().sessions.get('a'))!.deleted).toBe(1);
  });
});
