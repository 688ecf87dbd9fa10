// The log form's rules (src/sessions/log-form.ts), driven by random taps, typing, timer ticks, leaving and writes that
// succeed or fail, against a model of the database that applies each successful write's fields in order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPersonalData } from '../../../src/lib/personal-data';
import { nextLogForm, NOTE_SAVE_DELAY_MS, openLogForm, type LogForm, type LogFormEvent, type LogWrite } from '../../../src/sessions/log-form';
import { newLogFields, ROLES, VOCABULARY, type LogFields } from '../../../src/sessions/session-log';

type Action =
  | { kind: 'event'; event: { type: LogFormEvent['type'] } & Record<string, unknown> }
  | { kind: 'wait'; ms: number }
  | { kind: 'settle'; ok: boolean };

const notes = fc.oneof(
  fc.constantFrom('', 'Kela attachment sent', 'call 040 123 4567', 'Kela attachment sent, call 040 123 4567', 'OmaKanta'),
  fc.string({ maxLength: 12 }),
);
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.constantFrom(...VOCABULARY.format).map((format): Action => ({ kind: 'event', event: { type: 'change', fields: { format } } })),
  fc.constantFrom(...VOCABULARY.topics).map((value): Action => ({ kind: 'event', event: { type: 'toggle', field: 'topics', value } })),
  fc
    .record({ role: fc.constantFrom(...ROLES), which: fc.constantFrom('new' as const, 'returning' as const), delta: fc.constantFrom(1, -1) })
    .map((step): Action => ({ kind: 'event', event: { type: 'step', ...step } })),
  notes.map((text): Action => ({ kind: 'event', event: { type: 'type', text } })),
  fc.constantFrom<Action>(
    { kind: 'event', event: { type: 'saveNote' } },
    { kind: 'event', event: { type: 'leave' } },
    { kind: 'event', event: { type: 'tick' } },
  ),
  fc.integer({ min: 0, max: 2 * NOTE_SAVE_DELAY_MS }).map((ms): Action => ({ kind: 'wait', ms })),
  fc.boolean().map((ok): Action => ({ kind: 'settle', ok })),
);

/** Runs the form against a model database: writes wait in a queue, in order, until a 'settle' says how each went. */
function run(actions: Action[], existing?: LogFields) {
  let now = 1_000;
  let form: LogForm = openLogForm(existing !== undefined);
  let database: Partial<LogFields> = existing ? { ...existing } : {};
  const queue: LogWrite[] = [];
  const written: LogWrite[] = [];
  const feed = (event: LogFormEvent) => {
    const step = nextLogForm(form, event);
    form = step.form;
    if (step.write) {
      queue.push(step.write);
      written.push(step.write);
    }
    return step;
  };
  const settle = (ok: boolean) => {
    const write = queue.shift();
    if (!write) return;
    if (ok) database = write.first ? { ...write.fields } : { ...database, ...write.fields };
    feed(ok ? { type: 'written', write } : { type: 'notWritten', write });
  };
  feed(existing ? { type: 'loaded', log: existing } : { type: 'opened', log: newLogFields(now, undefined, null) });
  for (const next of actions) {
    if (next.kind === 'wait') now += next.ms;
    else if (next.kind === 'settle') settle(next.ok);
    else feed({ ...next.event, at: now } as LogFormEvent);
  }
  return { form: () => form, database: () => database, queue, written, feed, settle, now: () => now };
}

const looksPersonal = (note: string) => findPersonalData(note).length > 0;

describe('the log form', () => {
  it('never loses typed text: once the writes are done, the database holds what the form shows, and the note last typed', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), fc.boolean(), (actions, fromDatabase) => {
        const existing = fromDatabase ? { ...newLogFields(0, 'walk-in', null), note: 'Earlier note' } : undefined;
        const form = run(actions, existing);
        // The instructor leaves the note field; every write then goes through; after a failure, the next change
        // (here an empty one, as "Valmis" makes) writes everything.
        form.feed({ type: 'saveNote' });
        while (form.queue.length > 0) form.settle(true);
        if (form.form().failed) form.feed({ type: 'change', fields: {} });
        while (form.queue.length > 0) form.settle(true);

        const { log, note, failed } = form.form();
        expect(failed).toBe(false);
        if (!form.form().stored) return; // nothing was ever changed: a new log leaves nothing behind
        expect(form.database()).toEqual(log);
        if (!looksPersonal(note)) expect(form.database().note).toBe(note); // the draft saved is the last typed state
      }),
    );
  });

  it('never hands a note that looks like personal data to a write', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), (actions) => {
        const { written } = run([...actions, { kind: 'event', event: { type: 'saveNote' } }]);
        for (const write of written) if (write.fields.note !== undefined) expect(looksPersonal(write.fields.note)).toBe(false);
      }),
    );
  });

  it('says "saved" only when every write asked for has reached the database, and then it holds what is shown', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), (actions) => {
        const form = run(actions);
        const { saved, failed, log, noteDueAt } = form.form();
        if (saved && !failed && form.queue.length === 0) expect(form.database()).toEqual(log);
        if (failed) expect(saved).toBe(false);
        expect(noteDueAt === null || noteDueAt > 0).toBe(true);
      }),
    );
  });

  it('writes the first change of a new log with all its prefilled fields, and each later one with only its own', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 30 }), (actions) => {
        const { written } = run(actions);
        if (written.length === 0) return;
        expect(written[0]!.first).toBe(true);
        expect(Object.keys(written[0]!.fields).sort()).toEqual(Object.keys(newLogFields(0, undefined, null)).sort());
      }),
    );
    const form = run([
      { kind: 'event', event: { type: 'change', fields: { format: 'walk-in' } } },
      { kind: 'settle', ok: true },
      { kind: 'event', event: { type: 'toggle', field: 'topics', value: 'security' } },
    ]);
    expect(form.written[1]).toEqual({ fields: { topics: ['security'] }, first: false, all: false });
  });

  it('writes typed text after the typing pause, not before, and only the last of quick typing', () => {
    const form = run([
      { kind: 'event', event: { type: 'type', text: 'Ke' } },
      { kind: 'wait', ms: NOTE_SAVE_DELAY_MS - 1 },
      { kind: 'event', event: { type: 'type', text: 'Kela' } },
      { kind: 'wait', ms: NOTE_SAVE_DELAY_MS - 1 },
      { kind: 'event', event: { type: 'tick' } },
    ]);
    expect(form.written).toEqual([]);
    form.feed({ type: 'tick', at: form.now() + 1 });
    expect(form.written.map((write) => write.fields.note)).toEqual(['Kela']);
    expect(form.form().noteDueAt).toBeNull();
  });

  it('drops a typed note that waits when the log is deleted, and writes it when the app is left', () => {
    const typed: Action[] = [
      { kind: 'event', event: { type: 'change', fields: { format: 'walk-in' } } },
      { kind: 'event', event: { type: 'type', text: 'Kela' } },
    ];
    const deleted = run([...typed, { kind: 'event', event: { type: 'delete' } }, { kind: 'event', event: { type: 'leave' } }]);
    expect(deleted.written.map((write) => write.fields.note)).toEqual([newLogFields(0, undefined, null).note]);
    const left = run([...typed, { kind: 'event', event: { type: 'leave' } }]);
    expect(left.written.at(-1)!.fields).toEqual({ note: 'Kela' });
  });

  it('refuses "Valmis" while a note looks like personal data or something is missing, and otherwise writes what waits', () => {
    const typedPhone = run([{ kind: 'event', event: { type: 'type', text: 'call 040 123 4567' } }]);
    expect(typedPhone.feed({ type: 'finalise' }).verdict).toBe('noteHasPersonalData');
    const empty = run([]);
    const refused = empty.feed({ type: 'finalise' });
    expect(refused.verdict).toBe('missing');
    expect(refused.lacking).toEqual(['format', 'people']);
    expect(empty.form().refused).toBe(true);
    const ready = run([
      { kind: 'event', event: { type: 'change', fields: { format: 'walk-in' } } },
      { kind: 'event', event: { type: 'step', role: 'participant', which: 'new', delta: 1 } },
      { kind: 'event', event: { type: 'type', text: 'Kela' } },
    ]);
    const final = ready.feed({ type: 'finalise' });
    expect(final.verdict).toBe('final');
    expect(final.write?.fields).toEqual({ note: 'Kela' });
  });
});
