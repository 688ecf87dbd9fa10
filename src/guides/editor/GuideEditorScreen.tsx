// The guide editor (instructor area, lazy chunk): a guide's title, summary, language, topic and search words, and its
// steps. Everything is saved as it changes; a new guide is written on its first change, then the address becomes the
// guide's own, so a reload mid-edit comes back to the same guide.
import { useEffect, useRef, useState } from 'preact/hooks';
import { navigate } from '../../ui/router';
import { useObservable } from '../../ui/use-observable';
import { guideById, stepsOfGuide } from '../../db/guides';
import { useLiveQuery } from '../../db/live';
import type { GuideCategory, GuideRecord, GuideStepRecord } from '../../db/records';
import { LANGUAGES, type Language, useT } from '../../i18n';
import { GUIDE_CATEGORIES as CATEGORIES } from '../../protocol';
import { exportGuides } from '../packs/export';
import { flush, flushWhenHidden, inBackground, replayJournal, saveNow, saveSoon, saveState } from './autosave';
import { addStep, createGuide, deleteGuide, deleteStep, moveStep, parseTags, restoreGuide, restoreStep } from './guide-edits';
import { StepEditor } from './StepEditor';
import { UndoNotice } from './UndoNotice';
import './editor.css';
import { useFailed } from '../../ui/use-failed';
import { Field } from '../../ui/Field';

interface GuideForm {
  title: string;
  summary: string;
  lang: Language;
  category: GuideCategory;
  tags: string;
}

const formOf = (guide: GuideRecord): GuideForm => ({
  title: guide.title,
  summary: guide.summary,
  lang: guide.lang,
  category: guide.category,
  tags: guide.tags.join(', '),
});

export default function GuideEditorScreen({ params }: { params: Record<string, string> }) {
  const { t, language } = useT();
  const isNew = params.id === 'new';
  const [createdId, setCreatedId] = useState<string | undefined>();
  const failed = useFailed();
  const id = isNew ? createdId : params.id;
  const [replayed, setReplayed] = useState(false);
  useEffect(() => {
    flushWhenHidden();
    replayJournal().then(() => setReplayed(true), failed);
    return () => inBackground(flush()); // leaving the screen writes what is typed
  }, []);
  const guide = useLiveQuery(() => (id && replayed ? guideById(id).then((g) => g ?? null) : Promise.resolve(undefined)), [id, replayed]);
  const steps = useLiveQuery(() => (id ? stepsOfGuide(id) : Promise.resolve([] as GuideStepRecord[])), [id]);
  const [form, setForm] = useState<GuideForm | undefined>(isNew ? { title: '', summary: '', lang: language, category: 'contact', tags: '' } : undefined);
  // Which guide the form shows, so opening another guide on the same screen loads that guide's fields.
  const formFor = useRef<string | undefined>(undefined);
  const creating = useRef<Promise<string> | undefined>(undefined);
  const state = useObservable(saveState);
  const [undo, setUndo] = useState<{ message: string; run: () => Promise<void> } | undefined>();
  const [message, setMessage] = useState('');

  useEffect(() => {
    if (guide && formFor.current !== guide.id) {
      formFor.current = guide.id;
      if (guide.id !== createdId) setForm(formOf(guide));
    }
  }, [guide]);

  /**
   * Saves a change of the guide. The first change of a new guide creates it with that change; a change made while
   * it is still being created is saved right after, never dropped (a quick typist fills two fields in that time).
   */
  function changeGuide(fields: Partial<GuideRecord>, save: (guideId: string) => unknown): void {
    if (id) {
      save(id);
      return;
    }
    if (creating.current) {
      creating.current.then(save, failed);
      return;
    }
    creating.current = createGuide({ lang: form!.lang, category: form!.category, ...fields }).then((newId) => {
      setCreatedId(newId);
      navigate(`/instructor/guides/${newId}`, { replace: true });
      return newId;
    });
  }

  function type(field: 'title' | 'summary' | 'tags', value: string) {
    setForm({ ...form!, [field]: value });
    const fields = field === 'tags' ? { tags: parseTags(value) } : { [field]: value };
    changeGuide(fields, (guideId) => saveSoon('guides', guideId, fields));
  }

  function choose(fields: Partial<GuideForm>) {
    setForm({ ...form!, ...fields });
    changeGuide(fields as Partial<GuideRecord>, (guideId) => saveNow('guides', guideId, fields));
  }

  if (!isNew && guide === null) {
    return (
      <section class="screen editor" aria-labelledby="editor-title">
        <h1 id="editor-title">{t('editor.guide.titleEdit')}</h1>
        <p>{t('editor.guide.missing')}</p>
        <a class="button" href="/instructor/guides">
          {t('editor.guide.back')}
        </a>
      </section>
    );
  }
  // A guide made on this screen keeps its form while the address changes to its id: nothing typed then is lost.
  if (!form || (!isNew && !guide && id !== createdId)) return <p class="loading">{t('app.loading')}</p>;
  const list = steps ?? [];

  return (
    <section class="screen editor" aria-labelledby="editor-title">
      <p>
        <a class="button ghost" href="/instructor/guides">
          {t('editor.guide.back')}
        </a>
      </p>
      <h1 id="editor-title">{isNew && !id ? t('editor.guide.titleNew') : t('editor.guide.titleEdit')}</h1>
      <p class="save-state" role="status">
        {state === 'failed' ? t('editor.saveFailed') : state === 'saving' ? t('editor.saving') : id ? t('editor.saved') : t('editor.guide.savedOnFirstChange')}
      </p>
      {guide?.deleted === 1 && (
        <div class="undo-notice" role="alert">
          <p>{t('editor.guide.isDeleted')}</p>
          <button type="button" class="button" onClick={() => restoreGuide(guide.id).catch(failed)}>
            {t('editor.guide.restore')}
          </button>
        </div>
      )}

      <div class="card">
        <Field id="guide-title" label={t('editor.guide.title')}>
          <input
            id="guide-title"
            type="text"
            maxLength={200}
            value={form.title}
            onInput={(e) => type('title', e.currentTarget.value)}
            onBlur={() => inBackground(flush())}
          />
        </Field>
        <Field id="guide-summary" label={t('editor.guide.summary')}>
          <input
            id="guide-summary"
            type="text"
            maxLength={2000}
            value={form.summary}
            onInput={(e) => type('summary', e.currentTarget.value)}
            onBlur={() => inBackground(flush())}
          />
        </Field>
        <Field id="guide-lang" label={t('editor.guide.lang')}>
          <select id="guide-lang" value={form.lang} onChange={(e) => choose({ lang: e.currentTarget.value as Language })}>
            {LANGUAGES.map((lang) => (
              <option key={lang} value={lang}>
                {t(`languages.${lang}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="guide-category" label={t('editor.guide.category')}>
          <select id="guide-category" value={form.category} onChange={(e) => choose({ category: e.currentTarget.value as GuideCategory })}>
            {CATEGORIES.map((category) => (
              <option key={category} value={category}>
                {t(`categories.${category}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="guide-tags" label={t('editor.guide.tags')}>
          <input
            id="guide-tags"
            type="text"
            value={form.tags}
            aria-describedby="guide-tags-hint"
            onInput={(e) => type('tags', e.currentTarget.value)}
            onBlur={() => inBackground(flush())}
          />
          <p id="guide-tags-hint" class="hint">
            {t('editor.guide.tagsHint')}
          </p>
        </Field>
      </div>

      {id && (
        <StepList
          guideId={id}
          steps={list}
          onDeleted={(step, number) => setUndo({ message: t('editor.step.deleted', { number }), run: () => restoreStep(step.id) })}
          onMoved={(number) => setMessage(t('editor.step.moved', { number }))}
        />
      )}
      <p class="visually-hidden" role="status">
        {message}
      </p>
      {undo && (
        <UndoNotice
          message={undo.message}
          onUndo={() => {
            undo.run().catch(failed);
            setUndo(undefined);
          }}
          onGone={() => setUndo(undefined)}
        />
      )}

      {id && guide && (
        <div class="button-row editor-actions">
          <button type="button" class="button primary" onClick={() => addStep(id).catch(failed)}>
            {t('editor.guide.addStep')}
          </button>
          {list.length > 0 && (
            <a class="button" href={`/instructor/guides/${id}/preview/1`}>
              {t('editor.guide.preview')}
            </a>
          )}
          <button type="button" class="button" onClick={() => flush().then(() => exportGuides([guide], guide.title || 'guide'), failed)}>
            {t('packs.exportGuide')}
          </button>
          {guide.deleted !== 1 && (
            <button
              type="button"
              class="button danger"
              onClick={() => {
                // The list offers to undo once the guide is deleted; a failure stays here, on the error screen.
                deleteGuide(id).then(() => navigate('/instructor/guides?deleted=' + encodeURIComponent(id)), failed);
              }}
            >
              {t('editor.guide.delete')}
            </button>
          )}
        </div>
      )}
    </section>
  );
}

/** The steps in order, with move buttons on each and dragging by the handle (pointer: finger, pen or mouse). */
function StepList(props: {
  guideId: string;
  steps: GuideStepRecord[];
  onDeleted: (step: GuideStepRecord, number: number) => void;
  onMoved: (number: number) => void;
}) {
  const { t } = useT();
  const { steps } = props;
  const listRef = useRef<HTMLOListElement>(null);
  const failed = useFailed();
  const [drag, setDrag] = useState<{ from: number; over: number } | undefined>();

  function move(from: number, to: number) {
    moveStep(props.guideId, from, to).then(() => {
      props.onMoved(to + 1);
      // Keep the keyboard where the step went, so a run of "move up" presses works.
      requestAnimationFrame(() => {
        const item = listRef.current?.children[to];
        const same = item?.querySelectorAll<HTMLButtonElement>('.editor-step-moves button');
        const target = same && (from > to ? same[0] : same[1]);
        (target && !target.disabled ? target : same?.[0])?.focus();
      });
    }, failed);
  }

  function indexAt(clientY: number): number {
    const items = [...(listRef.current?.children ?? [])];
    for (let i = 0; i < items.length; i += 1) {
      const box = items[i]!.getBoundingClientRect();
      if (clientY < box.top + box.height / 2) return i;
    }
    return items.length - 1;
  }

  function startDrag(from: number, event: PointerEvent) {
    event.preventDefault();
    const handle = event.currentTarget as HTMLElement;
    handle.setPointerCapture(event.pointerId);
    setDrag({ from, over: from });
    // Steps with pictures are tall: holding the finger near the top or bottom edge scrolls the page.
    let lastY = event.clientY;
    let frame = 0;
    const edgeScroll = () => {
      const edge = 80;
      const dy = lastY < edge ? -(edge - lastY) / 3 : lastY > window.innerHeight - edge ? (lastY - (window.innerHeight - edge)) / 3 : 0;
      if (dy) {
        window.scrollBy(0, dy);
        setDrag({ from, over: indexAt(lastY) });
      }
      frame = requestAnimationFrame(edgeScroll);
    };
    frame = requestAnimationFrame(edgeScroll);
    const onMove = (e: PointerEvent) => {
      lastY = e.clientY;
      setDrag({ from, over: indexAt(e.clientY) });
    };
    const onUp = (e: PointerEvent) => {
      cancelAnimationFrame(frame);
      handle.removeEventListener('pointermove', onMove);
      handle.removeEventListener('pointerup', onUp);
      handle.removeEventListener('pointercancel', onUp);
      setDrag(undefined);
      const to = e.type === 'pointerup' ? indexAt(e.clientY) : from;
      if (to !== from) move(from, to);
    };
    handle.addEventListener('pointermove', onMove);
    handle.addEventListener('pointerup', onUp);
    handle.addEventListener('pointercancel', onUp);
  }

  return (
    <section aria-labelledby="steps-title">
      <h2 id="steps-title">{t('editor.guide.steps')}</h2>
      {steps.length === 0 && <p>{t('editor.guide.noSteps')}</p>}
      <ol class="editor-steps" ref={listRef} role="list">
        {steps.map((step, index) => (
          <li key={step.id} class={drag?.from === index ? 'is-dragged' : drag?.over === index ? 'is-drop-target' : ''}>
            <StepEditor
              step={step}
              number={index + 1}
              total={steps.length}
              onMove={move}
              onDragStart={(event) => startDrag(index, event)}
              onDelete={() => deleteStep(step.id).then(() => props.onDeleted(step, index + 1), failed)}
            />
          </li>
        ))}
      </ol>
    </section>
  );
}
