// One step in the guide editor: its kind, text, picture (camera or file) with required alt text, move and delete.
import { useEffect, useState } from 'preact/hooks';
import type { GuideStepRecord, StepKind } from '../../db/records';
import { useT } from '../../i18n';
import { StepPicture } from '../StepPicture';
import { flush, inBackground, saveNow, saveSoon } from './autosave';
import { removeStepPicture, setStepPicture } from './guide-edits';
import { Field } from '../../ui/Field';
import { useFailed } from '../../ui/use-failed';

const EDITABLE_KINDS: StepKind[] = ['step', 'tip', 'warning'];

export function StepEditor(props: {
  step: GuideStepRecord;
  number: number;
  total: number;
  onMove: (from: number, to: number) => void;
  onDelete: () => void;
  onDragStart: (event: PointerEvent) => void;
}) {
  const { t } = useT();
  const { step, number, total } = props;
  const id = step.id;
  // Local copies of the typed fields: a live query must never pull the text out from under the cursor.
  const [text, setText] = useState(step.text);
  const [alt, setAlt] = useState(step.alt);
  const [busy, setBusy] = useState(false);
  const [pictureError, setPictureError] = useState(false);
  useEffect(() => setAlt(step.alt), [step.imageHash]);
  const kinds = step.kind === 'practice' ? [...EDITABLE_KINDS, 'practice' as const] : EDITABLE_KINDS;
  const altMissing = Boolean(step.imageHash) && alt.trim() === '';
  const prefix = `step-${id}`;
  const failed = useFailed();

  // Never rejects (its own catch shows the problem under the buttons): the file inputs drop its promise with void.
  async function choosePicture(input: HTMLInputElement) {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    setBusy(true);
    setPictureError(false);
    try {
      await setStepPicture(id, file);
    } catch {
      setPictureError(true);
    } finally {
      setBusy(false);
    }
  }

  return (
    <article class={`editor-step step-${step.kind}`} aria-labelledby={`${prefix}-title`} data-step-id={id}>
      <div class="editor-step-top">
        <span class="drag-handle" aria-hidden="true" onPointerDown={(event) => props.onDragStart(event)}>
          ⠿
        </span>
        <h3 id={`${prefix}-title`}>{t('editor.step.heading', { number })}</h3>
        <div class="button-row editor-step-moves">
          <button
            type="button"
            class="button"
            disabled={number === 1}
            onClick={() => props.onMove(number - 1, number - 2)}
            aria-label={t('editor.step.moveUpLabel', { number })}
          >
            {t('editor.step.moveUp')}
          </button>
          <button
            type="button"
            class="button"
            disabled={number === total}
            onClick={() => props.onMove(number - 1, number)}
            aria-label={t('editor.step.moveDownLabel', { number })}
          >
            {t('editor.step.moveDown')}
          </button>
        </div>
      </div>

      <fieldset class="choice-group">
        <legend>{t('editor.step.kind')}</legend>
        <div class="choice-row">
          {kinds.map((kind) => (
            <label key={kind} class={`choice ${step.kind === kind ? 'is-chosen' : ''}`}>
              <input
                type="radio"
                name={`${prefix}-kind`}
                value={kind}
                checked={step.kind === kind}
                onChange={() => inBackground(saveNow('guideSteps', id, { kind }))}
              />
              <span>{t(`editor.step.kinds.${kind}`)}</span>
            </label>
          ))}
        </div>
      </fieldset>

      <Field id={`${prefix}-text`} label={t('editor.step.text')}>
        <textarea
          id={`${prefix}-text`}
          rows={3}
          maxLength={4000}
          value={text}
          onInput={(event) => {
            setText(event.currentTarget.value);
            saveSoon('guideSteps', id, { text: event.currentTarget.value });
          }}
          onBlur={() => inBackground(flush())}
        />
      </Field>

      <div class="editor-picture">
        <p class="editor-label">{t('editor.step.picture')}</p>
        {step.imageHash && <StepPicture step={step} />}
        <div class="button-row">
          <label class="button file-button">
            {t('editor.step.takePhoto')}
            <input
              class="visually-hidden"
              type="file"
              accept="image/*"
              capture="environment"
              disabled={busy}
              onChange={(event) => void choosePicture(event.currentTarget)}
            />
          </label>
          <label class="button file-button">
            {step.imageHash ? t('editor.step.replacePicture') : t('editor.step.choosePicture')}
            <input class="visually-hidden" type="file" accept="image/*" disabled={busy} onChange={(event) => void choosePicture(event.currentTarget)} />
          </label>
          {step.imageHash && (
            <button type="button" class="button" onClick={() => removeStepPicture(id).catch(failed)}>
              {t('editor.step.removePicture')}
            </button>
          )}
        </div>
        {busy && <p role="status">{t('editor.step.preparing')}</p>}
        {pictureError && (
          <p role="alert" class="editor-error">
            {t('editor.step.notPicture')}
          </p>
        )}
        {step.imageHash && (
          <Field id={`${prefix}-alt`} label={t('editor.step.alt')}>
            <input
              id={`${prefix}-alt`}
              type="text"
              maxLength={500}
              required
              aria-invalid={altMissing}
              aria-describedby={altMissing ? `${prefix}-alt-missing` : undefined}
              value={alt}
              onInput={(event) => {
                setAlt(event.currentTarget.value);
                saveSoon('guideSteps', id, { alt: event.currentTarget.value });
              }}
              onBlur={() => inBackground(flush())}
            />
            {altMissing && (
              <p id={`${prefix}-alt-missing`} class="editor-error">
                {t('editor.step.altMissing')}
              </p>
            )}
          </Field>
        )}
      </div>

      <button type="button" class="button danger" onClick={props.onDelete}>
        {t('editor.step.delete', { number })}
      </button>
    </article>
  );
}
