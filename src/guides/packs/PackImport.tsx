// Importing a guide pack: choose the file, see what it holds and how it differs from this tablet, choose, import.
import { useState } from 'preact/hooks';
import { useT } from '../../i18n';
import { PACK_LIMITS, PackError, type CheckedPack } from './format';
import { applyImport, planImport, type ImportPlan } from './merge';
import { readPack } from './pack-zip';

type Stage =
  | { kind: 'idle' }
  | { kind: 'reading'; percent: number }
  | { kind: 'preview'; pack: CheckedPack; plan: ImportPlan; replace: Set<string> }
  | { kind: 'error'; code: PackError['code'] }
  | { kind: 'done'; count: number };

export function PackImport() {
  const { t } = useT();
  const [stage, setStage] = useState<Stage>({ kind: 'idle' });

  // Never rejects (its own catch shows the problem): the file input drops its promise with void.
  async function choose(input: HTMLInputElement) {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    // A file too big to be a pack is refused before a byte of it is read.
    if (file.size > PACK_LIMITS.fileBytes) return setStage({ kind: 'error', code: 'fileTooBig' });
    setStage({ kind: 'reading', percent: 0 });
    try {
      // Unpacked in a worker: the screen stays responsive and shows how far it is.
      const pack = await readPack(new Uint8Array(await file.arrayBuffer()), ({ done, total }) =>
        setStage({ kind: 'reading', percent: total > 0 ? Math.min(100, Math.floor((done * 100) / total)) : 100 }),
      );
      const plan = await planImport(pack);
      setStage({ kind: 'preview', pack, plan, replace: new Set(plan.guides.filter((g) => g.status !== 'new' && g.replaceByDefault).map((g) => g.id)) });
    } catch (error) {
      console.error('guide pack refused', error);
      setStage({ kind: 'error', code: error instanceof PackError ? error.code : 'notZip' });
    }
  }

  // Never rejects (its own catch shows the problem): the import button drops its promise with void.
  async function confirm(pack: CheckedPack, replace: Set<string>) {
    try {
      const count = await applyImport(pack, replace);
      setStage({ kind: 'done', count });
    } catch (error) {
      console.error('guide pack import failed', error);
      setStage({ kind: 'error', code: error instanceof PackError ? error.code : 'notZip' });
    }
  }

  return (
    <div class="pack-import">
      <label class="button file-button">
        {t('packs.import')}
        <input
          class="visually-hidden"
          type="file"
          accept=".zip,application/zip"
          aria-describedby="pack-import-hint"
          onChange={(e) => void choose(e.currentTarget)}
        />
      </label>
      <p id="pack-import-hint" class="hint">
        {t('packs.importHint')}
      </p>
      {stage.kind === 'reading' && (
        <div class="pack-reading">
          <p role="status" id="pack-reading-label">
            {t('packs.preview.reading')}
          </p>
          <progress aria-labelledby="pack-reading-label" max={100} value={stage.percent} />
          <p class="hint">{t('packs.preview.readingPercent', { percent: stage.percent })}</p>
        </div>
      )}
      {stage.kind === 'error' && (
        <div role="alert" class="editor-error-box">
          <p>
            <strong>{t('packs.errors.title')}</strong>
          </p>
          <p>{t(`packs.errors.${stage.code}`)}</p>
        </div>
      )}
      {stage.kind === 'done' && <p role="status">{t('packs.preview.done', { count: stage.count })}</p>}
      {stage.kind === 'preview' && (
        <section class="pack-preview" aria-labelledby="pack-preview-title">
          <h3 id="pack-preview-title">{t('packs.preview.title')}</h3>
          <p>{t('packs.preview.counts', { guides: stage.plan.guides.length, pictures: stage.plan.pictures.total })}</p>
          <p>{t('packs.preview.picturesHere', { count: stage.plan.pictures.alreadyHere })}</p>
          <ul class="editor-guides" role="list">
            {stage.plan.guides.map((guide) => (
              <li key={guide.id} class="editor-guide">
                <span class="editor-guide-text">
                  <strong>{guide.title || t('editor.list.untitled')}</strong>
                  <span>
                    {t(`packs.preview.status.${guide.status}`)} {t('editor.list.stepCount', { count: guide.steps })}
                  </span>
                </span>
                {(guide.status === 'newer' || guide.status === 'older' || guide.status === 'deletedHere') && (
                  <label class="choice">
                    <input
                      type="checkbox"
                      checked={stage.replace.has(guide.id)}
                      onChange={(e) => {
                        const replace = new Set(stage.replace);
                        if (e.currentTarget.checked) replace.add(guide.id);
                        else replace.delete(guide.id);
                        setStage({ ...stage, replace });
                      }}
                    />
                    <span>{guide.status === 'deletedHere' ? t('packs.preview.restore') : t('packs.preview.replace')}</span>
                  </label>
                )}
              </li>
            ))}
          </ul>
          {stage.plan.guides.every((g) => g.status === 'same') ? <p>{t('packs.preview.nothing')}</p> : null}
          <div class="button-row">
            <button type="button" class="button primary" onClick={() => void confirm(stage.pack, stage.replace)}>
              {t('packs.preview.import')}
            </button>
            <button type="button" class="button" onClick={() => setStage({ kind: 'idle' })}>
              {t('packs.preview.cancel')}
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
