// The session log form (instructor area, lazy chunk): one-handed, big chips and steppers, every change saved at once.
// A new log is written on its first change (so opening the form by mistake leaves nothing behind); the address then
// becomes the log's own, so a reload mid-form comes back to the same draft. The form's rules are one pure function
// (log-form.ts); this screen draws its state, feeds it events and carries out the writes it asks for.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { navigate } from '../ui/router';
import { useLiveQuery } from '../db/live';
import { useT } from '../i18n';
import { currentInstructorId } from '../lock/mode';
import { findPersonalData, type PersonalDataKind } from '../lib/personal-data';
import { vocabularyLabel, type VocabularyGroup } from './labels';
import { nextLogForm, openLogForm, type ListField, type LogForm, type LogFormEvent, type LogFormStep, type LogWrite } from './log-form';
import { guidesInLanguage } from '../db/sessions';
import {
  fromLocalInput,
  headCount,
  missingForFinal,
  newLogFields,
  NOTE_MAX_LENGTH,
  ROLES,
  toLocalInput,
  visitCount,
  VOCABULARY,
  type HeadCount,
  type LogFields,
  type MissingForFinal,
  type Role,
} from './session-log';
import { deleteLog, finaliseLog, justFinalised, lastUsedFormat, loadLog, newLogId, rememberFormat, saveLogFields } from './log-edits';
import { ChipChoice, ChipToggles, Stepper, type ChipOption } from '../ui/chips';
import './sessions.css';
import { useFailed } from '../ui/use-failed';
import { Field } from '../ui/Field';

const MAIN_ROLE: Role = 'participant';
const OTHER_ROLES = ROLES.filter((role) => role !== MAIN_ROLE);

export default function SessionLogScreen({ params }: { params: Record<string, string> }) {
  const { t, language } = useT();
  const newId = useMemo(newLogId, []);
  const id = params.id ?? newId;
  const failed = useFailed();
  // The latest state, read by a second tap in the same frame (so two quick taps never start from the same old value).
  const current = useRef<LogForm | undefined>(undefined);
  current.current ??= openLogForm(Boolean(params.id));
  const [form, show] = useState(current.current);
  const confirmRef = useRef<HTMLDivElement>(null);
  const moreOpened = useRef(false);
  const othersOpened = useRef(false);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const actionsRef = useRef<HTMLDivElement>(null);
  const guides = useLiveQuery(() => guidesInLanguage(language), [language]);

  /** Feeds the form an event and starts the write it asks for; `written` settles when that write has (never rejects). */
  function dispatch(event: LogFormEvent): LogFormStep & { written: Promise<void> } {
    const step = nextLogForm(current.current!, event);
    if (step.form !== current.current) show(step.form); // an unchanged form draws nothing again (a big form, many writes)
    current.current = step.form;
    return { ...step, written: step.write ? carryOut(step.write) : Promise.resolve() };
  }

  /** Writes what the form asked for; the very first write also gives the form the log's own address. */
  async function carryOut(write: LogWrite): Promise<void> {
    try {
      await saveLogFields(id, write.fields);
    } catch {
      dispatch({ type: 'notWritten', write });
      return;
    }
    dispatch({ type: 'written', write });
    if (write.first) navigate(`/instructor/sessions/${id}`, { replace: true });
  }

  // The address changes from /new to the log's own after the first write: the id stays the same, so nothing reloads.
  useEffect(() => {
    if (!params.id) {
      const openedAt = Date.now();
      // The instructor as a profile id, never a name.
      lastUsedFormat().then((format) => dispatch({ type: 'opened', log: newLogFields(openedAt, format, currentInstructorId() ?? null) }), failed);
      return;
    }
    loadLog(params.id).then((stored) => dispatch(stored ? { type: 'loaded', log: stored } : { type: 'notFound' }), failed);
  }, [id]);

  // The confirmation opens where the instructor is looking, with the focus on its safe choice.
  useEffect(() => {
    if (!form.confirmingDelete) return;
    confirmRef.current?.scrollIntoView({ block: 'center' });
    confirmRef.current?.querySelector<HTMLButtonElement>('.confirm-cancel')?.focus({ preventScroll: true });
  }, [form.confirmingDelete]);

  // The page's scroll-padding follows the bar's real height (text size, the "still missing" line), see sessions.css.
  const formShown = Boolean(form.log);
  useEffect(() => {
    const bar = actionsRef.current;
    if (!bar) return;
    const root = document.documentElement;
    const fit = () => root.style.setProperty('--log-bar-height', `${bar.offsetHeight}px`);
    fit();
    const watcher = new ResizeObserver(fit);
    watcher.observe(bar);
    return () => {
      watcher.disconnect();
      root.style.removeProperty('--log-bar-height');
    };
  }, [formShown]);

  // Typing is saved after a short pause (the form says when it is due); leaving the app or the screen saves it at once.
  useEffect(() => {
    const due = form.noteDueAt;
    if (due === null) return;
    const timer = setTimeout(() => dispatch({ type: 'tick', at: Math.max(Date.now(), due) }), due - Date.now()); // a timer may fire a moment early
    return () => clearTimeout(timer);
  }, [form.noteDueAt]);
  useEffect(() => {
    const onHide = (event: Event) => {
      if (event.type === 'pagehide' || document.visibilityState === 'hidden') dispatch({ type: 'leave' });
    };
    document.addEventListener('visibilitychange', onHide);
    window.addEventListener('pagehide', onHide);
    return () => {
      dispatch({ type: 'leave' });
      document.removeEventListener('visibilitychange', onHide);
      window.removeEventListener('pagehide', onHide);
    };
  }, []);

  const { log, note, saved, refused, confirmingDelete } = form;
  if (form.phase === 'missing') {
    return (
      <section class="screen sessions" aria-labelledby="log-title">
        <h1 id="log-title">{t('sessions.formTitleEdit')}</h1>
        <p>{t('sessions.notFound')}</p>
        <a class="button" href="/instructor/sessions">
          {t('sessions.backToList')}
        </a>
      </section>
    );
  }
  if (!log) return <p class="loading">{t('app.loading')}</p>;

  const noteKinds = [...new Set(findPersonalData(note).map((finding) => finding.kind))];

  const change = (fields: Partial<LogFields>) => dispatch({ type: 'change', fields });
  const toggle = (field: ListField, value: string) => dispatch({ type: 'toggle', field, value });
  const step = (role: Role, which: keyof HeadCount, delta: number) => dispatch({ type: 'step', role, which, delta });

  function chooseFormat(format: string) {
    change({ format });
    rememberFormat(format).catch(failed);
  }

  async function finalise() {
    const { verdict, lacking, written } = dispatch({ type: 'finalise' });
    if (verdict === 'noteHasPersonalData') return noteRef.current?.focus();
    if (verdict === 'missing') return document.getElementById(`log-${lacking![0]}`)?.scrollIntoView({ block: 'center' });
    await written;
    if (current.current!.failed) return; // not all of it is in the database: the form says so, and stays open
    await finaliseLog(id);
    justFinalised.set(id);
    navigate('/instructor/sessions');
  }

  async function remove() {
    dispatch({ type: 'delete' });
    await deleteLog(id);
    navigate('/instructor/sessions');
  }

  /**
   * The "Valmis" bar sticks to the bottom edge, and CSS scroll-padding keeps what the browser scrolls to above it. WebKit
   * reveals a focused text box by its caret instead, ignoring that padding: a control that gets the keyboard's focus is
   * scrolled into view here first (which honours the padding), so the browser's own reveal finds it in view already.
   * Not for a pointer's focus: scrolling between press and release would move the control out from under the finger.
   */
  function keepClearOfBar(event: FocusEvent) {
    const control = event.target;
    if (control instanceof HTMLElement && !actionsRef.current?.contains(control) && control.matches(':focus-visible')) {
      control.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    }
  }

  const hasMore = [log.referredTo, log.barriers, log.devicesUsed, log.guidesUsed].some((list) => list.length > 0);
  const options = (group: VocabularyGroup): ChipOption[] =>
    (VOCABULARY[group] as readonly string[]).map((value) => ({ value, label: vocabularyLabel(t, group, value) }));
  const kindsText = (kinds: PersonalDataKind[]) => kinds.map((kind) => t(`sessions.note.kinds.${kind}`)).join(', ');
  const roleLabel = (role: Role) => t(`sessions.roles.${role}`);
  const renderRole = (role: Role, className: string) => (
    <div class={className} key={role} role="group" aria-labelledby={`role-${role}`}>
      <p class="people-role-name" id={`role-${role}`}>
        {roleLabel(role)}
      </p>
      {(['new', 'returning'] as const).map((which) => {
        const kind = t(`sessions.people.${which}`);
        const count = headCount(log.participants, role, which);
        return (
          <Stepper
            key={which}
            label={kind}
            value={count}
            addLabel={t('sessions.people.add', { role: roleLabel(role), kind })}
            removeLabel={t('sessions.people.remove', { role: roleLabel(role), kind })}
            valueLabel={t('sessions.people.value', { role: roleLabel(role), kind, count })}
            onStep={(delta) => step(role, which, delta)}
          />
        );
      })}
    </div>
  );
  // Once Valmis was refused, say what is still missing until it is there.
  const lacking: MissingForFinal[] = refused ? missingForFinal(log) : [];
  const missingText = (items: MissingForFinal[]) =>
    t('sessions.missing.intro', { list: new Intl.ListFormat(language, { type: 'conjunction' }).format(items.map((item) => t(`sessions.missing.${item}`))) });

  return (
    <section class="screen sessions log-form" aria-labelledby="log-title" onFocusIn={keepClearOfBar}>
      <div class="log-title-row">
        <h1 id="log-title">{params.id ? t('sessions.formTitleEdit') : t('sessions.formTitleNew')}</h1>
        <p class="save-state" role="status">
          {form.failed ? t('sessions.notSaved') : saved ? (log.status === 'final' ? t('sessions.savedFinal') : t('sessions.savedDraft')) : ''}
        </p>
      </div>

      <div id="log-format">
        <ChipChoice name="format" legend={t('sessions.format.legend')} options={options('format')} value={log.format} onChoose={chooseFormat} />
        {lacking.includes('format') && <p class="field-missing">{t('sessions.missing.formatHere')}</p>}
      </div>

      <fieldset class="chip-group people" id="log-people">
        <legend>{t('sessions.people.legend')}</legend>
        {lacking.includes('people') && <p class="field-missing">{t('sessions.missing.peopleHere')}</p>}
        {/* The people helped come first; the other roles are one line that explains them and opens their counts. */}
        {renderRole(MAIN_ROLE, 'people-role is-main')}
        <details
          class="people-more"
          ref={(element) => {
            if (!element || othersOpened.current) return;
            othersOpened.current = true;
            element.open = OTHER_ROLES.some((role) => headCount(log.participants, role, 'new') + headCount(log.participants, role, 'returning') > 0);
          }}
        >
          <summary>
            {t('sessions.people.others')} <span class="people-total">{t('sessions.people.total', { count: visitCount(log.participants) })}</span>
          </summary>
          <div class="people-others">{OTHER_ROLES.map((role) => renderRole(role, 'people-role'))}</div>
        </details>
      </fieldset>

      {/* Short one-row groups first and the long topic list last, so the typical path fits one tablet screen. */}
      <ChipChoice
        name="durationBand"
        legend={t('sessions.durationBand.legend')}
        options={options('durationBand')}
        value={log.durationBand}
        onChoose={(durationBand) => change({ durationBand })}
      />
      <ChipChoice
        name="outcome"
        legend={t('sessions.outcome.legend')}
        options={options('outcome')}
        value={log.outcome}
        onChoose={(outcome) => change({ outcome })}
      />
      <ChipToggles
        name="topics"
        legend={t('sessions.topics.legend')}
        options={options('topics')}
        values={log.topics}
        onToggle={(value) => toggle('topics', value)}
      />
      <ChipChoice
        name="channel"
        legend={t('sessions.channel.legend')}
        options={options('channel')}
        value={log.channel}
        onChoose={(channel) => change({ channel })}
      />

      <Field id="log-started" label={t('sessions.startedAt')}>
        <input
          id="log-started"
          type="datetime-local"
          value={toLocalInput(log.startedAt)}
          onChange={(event) => {
            const startedAt = fromLocalInput(event.currentTarget.value);
            if (startedAt !== undefined) change({ startedAt });
          }}
        />
      </Field>

      {/* Rarely needed on a drop-in: folded, open by itself when the log already has any of it. */}
      <details
        class="log-more"
        ref={(element) => {
          if (!element || moreOpened.current) return;
          moreOpened.current = true;
          element.open = hasMore;
        }}
      >
        <summary>{t('sessions.more')}</summary>
        <ChipToggles
          name="referredTo"
          legend={t('sessions.referredTo.legend')}
          options={options('referredTo')}
          values={log.referredTo}
          onToggle={(value) => toggle('referredTo', value)}
        />
        <ChipToggles
          name="barriers"
          legend={t('sessions.barriers.legend')}
          options={options('barriers')}
          values={log.barriers}
          onToggle={(value) => toggle('barriers', value)}
        />
        <ChipToggles
          name="devicesUsed"
          legend={t('sessions.devicesUsed.legend')}
          options={options('devicesUsed')}
          values={log.devicesUsed}
          onToggle={(value) => toggle('devicesUsed', value)}
        />
        <ChipToggles
          name="guidesUsed"
          legend={t('sessions.guidesUsed.legend')}
          options={(guides ?? []).map((guide) => ({ value: guide.id, label: guide.title }))}
          values={log.guidesUsed}
          onToggle={(value) => toggle('guidesUsed', value)}
          empty={<p class="hint">{t('sessions.guidesUsed.none')}</p>}
        />
      </details>

      <Field id="log-note" label={t('sessions.note.label')}>
        <p id="log-note-warning" class="note-warning">
          {t('sessions.note.warning')}
        </p>
        <textarea
          id="log-note"
          ref={noteRef}
          rows={3}
          maxLength={NOTE_MAX_LENGTH}
          // Off: the browser would otherwise keep what was typed in its history and session files, in clear on disk.
          autoComplete="off"
          value={note}
          aria-describedby="log-note-warning log-note-count"
          aria-invalid={noteKinds.length > 0}
          onInput={(event) => dispatch({ type: 'type', text: event.currentTarget.value, at: Date.now() })}
          onBlur={() => dispatch({ type: 'saveNote' })}
        />
        <p id="log-note-count" class="hint">
          {t('sessions.note.count', { count: note.length, max: NOTE_MAX_LENGTH })}
        </p>
        {noteKinds.length > 0 && (
          <p class="note-found" role="alert">
            {t('sessions.note.found', { kinds: kindsText(noteKinds) })}
          </p>
        )}
      </Field>

      <div class="log-actions" ref={actionsRef}>
        {lacking.length > 0 && (
          <p class="finalise-missing" role="alert">
            {missingText(lacking)}
          </p>
        )}
        <button type="button" class="button primary finalise" onClick={() => finalise().catch(failed)}>
          {t('sessions.finalise')}
        </button>
      </div>

      {form.stored && (
        <div class="button-row log-secondary">
          <a class="button" href={`/feedback?session=${encodeURIComponent(id)}`}>
            {t('sessions.handToParticipant')}
          </a>
          {!confirmingDelete && (
            <button type="button" class="button danger" onClick={() => dispatch({ type: 'askDelete' })}>
              {t('sessions.delete')}
            </button>
          )}
        </div>
      )}
      {confirmingDelete && (
        <div class="card confirm" role="alertdialog" aria-labelledby="confirm-delete-text" aria-modal="false" ref={confirmRef}>
          <p id="confirm-delete-text">{t('sessions.confirmDelete')}</p>
          <div class="button-row">
            <button type="button" class="button danger" onClick={() => remove().catch(failed)}>
              {t('sessions.confirmDeleteYes')}
            </button>
            <button type="button" class="button confirm-cancel" onClick={() => dispatch({ type: 'cancelDelete' })}>
              {t('sessions.cancel')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
