// The instructor's guide list (lazy chunk): own guides to edit or delete (with Undo), built-in guides to copy, and
// guide packs to export and import.
import { useEffect, useState } from 'preact/hooks';
import { location, navigate } from '../../ui/router';
import { useObservable } from '../../ui/use-observable';
import { guideById, libraryGuides, stepsOfGuide } from '../../db/guides';
import { useLiveQuery } from '../../db/live';
import type { GuideCategory, GuideRecord } from '../../db/records';
import { useT } from '../../i18n';
import { GUIDE_CATEGORIES as CATEGORIES } from '../../protocol';
import { exportGuides, guidesToExport } from '../packs/export';
import { PackImport } from '../packs/PackImport';
import { collectPictures, copyBuiltinGuide, restoreGuide } from './guide-edits';
import { UndoNotice } from './UndoNotice';
import './editor.css';
import { useFailed } from '../../ui/use-failed';
import { Field } from '../../ui/Field';

const byTitle = (a: GuideRecord, b: GuideRecord) => a.title.localeCompare(b.title);

export default function GuidesScreen() {
  const { t, language } = useT();
  const { search } = useObservable(location);
  const all = useLiveQuery(libraryGuides, []);
  const stepCounts = useLiveQuery(async () => {
    const own = (await libraryGuides()).filter((g) => g.source === 'org');
    return new Map(await Promise.all(own.map(async (g) => [g.id, (await stepsOfGuide(g.id)).length] as const)));
  }, []);
  const [deleted, setDeleted] = useState<GuideRecord | undefined>();
  const failed = useFailed();
  const [copying, setCopying] = useState<string | undefined>();
  const [copyFailed, setCopyFailed] = useState(false);
  const [topic, setTopic] = useState<GuideCategory>('contact');
  const [exportMessage, setExportMessage] = useState('');

  // The editor's "delete" lands here with the guide's id, so its Undo shows on this list.
  const deletedId = search.get('deleted');
  useEffect(() => {
    if (!deletedId) return;
    guideById(deletedId).then((guide) => guide && setDeleted(guide), failed);
    navigate('/instructor/guides', { replace: true });
  }, [deletedId]);
  useEffect(() => {
    // Tidying only: inOrder logs a failure, nothing on screen depends on it, and the next visit tries again.
    collectPictures().catch(() => undefined);
  }, []);

  const own = (all ?? []).filter((g) => g.source === 'org').sort(byTitle);
  const builtin = (all ?? []).filter((g) => g.source === 'builtin' && g.lang === language).sort(byTitle);

  // Never rejects (its own catch shows the problem): the copy buttons drop its promise with void.
  async function copy(guide: GuideRecord) {
    setCopying(guide.id);
    setCopyFailed(false);
    try {
      const id = await copyBuiltinGuide(guide.id);
      navigate(`/instructor/guides/${id}`);
    } catch (error) {
      console.error('copying a built-in guide failed', error);
      setCopyFailed(true);
    } finally {
      setCopying(undefined);
    }
  }

  async function exportSome(guides: GuideRecord[], name: string) {
    const result = await exportGuides(guides, name);
    setExportMessage(result === 'nothing' ? t('packs.nothingToExport') : result === 'cancelled' ? '' : t('packs.exported'));
  }

  return (
    <section class="screen editor" aria-labelledby="guides-title">
      <h1 id="guides-title">{t('editor.list.title')}</h1>
      <p>{t('editor.list.intro')}</p>
      <p>
        <a class="button primary" href="/instructor/guides/new">
          {t('editor.list.newGuide')}
        </a>
      </p>

      <section aria-labelledby="own-title">
        <h2 id="own-title">{t('editor.list.ownTitle')}</h2>
        {all === undefined ? (
          <p class="loading">{t('app.loading')}</p>
        ) : own.length === 0 ? (
          <p>{t('editor.list.noOwn')}</p>
        ) : (
          <ul class="editor-guides" role="list">
            {own.map((guide) => {
              const title = guide.title || t('editor.list.untitled');
              return (
                <li key={guide.id} class="editor-guide">
                  <span class="editor-guide-text">
                    <strong lang={guide.lang}>{title}</strong>
                    <span class="hint">
                      {t(`categories.${guide.category}`)} · {t('editor.list.stepCount', { count: stepCounts?.get(guide.id) ?? 0 })}
                    </span>
                  </span>
                  <span class="button-row">
                    <a class="button" href={`/instructor/guides/${guide.id}`} aria-label={t('editor.list.editLabel', { title })}>
                      {t('editor.list.edit')}
                    </a>
                  </span>
                </li>
              );
            })}
          </ul>
        )}
        {deleted && (
          <UndoNotice
            message={t('editor.list.deleted', { title: deleted.title || t('editor.list.untitled') })}
            onUndo={() => {
              restoreGuide(deleted.id).catch(failed);
              setDeleted(undefined);
            }}
            onGone={() => setDeleted(undefined)}
          />
        )}
      </section>

      <section class="card" aria-labelledby="packs-title">
        <h2 id="packs-title">{t('packs.title')}</h2>
        <p>{t('packs.intro')}</p>
        <div class="button-row">
          <button type="button" class="button" onClick={() => guidesToExport().then((guides) => exportSome(guides, t('editor.list.ownTitle')), failed)}>
            {t('packs.exportAll')}
          </button>
        </div>
        <Field id="export-topic" label={t('packs.topic')} class="editor-topic-export">
          <div class="button-row">
            <select id="export-topic" value={topic} onChange={(e) => setTopic(e.currentTarget.value as GuideCategory)}>
              {CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {t(`categories.${c}`)}
                </option>
              ))}
            </select>
            <button type="button" class="button" onClick={() => guidesToExport(topic).then((guides) => exportSome(guides, t(`categories.${topic}`)), failed)}>
              {t('packs.exportTopic')}
            </button>
          </div>
        </Field>
        <p role="status">{exportMessage}</p>
        <PackImport />
      </section>

      <section aria-labelledby="builtin-title">
        <h2 id="builtin-title">{t('editor.list.builtinTitle')}</h2>
        <p>{t('editor.list.builtinIntro')}</p>
        {copying && <p role="status">{t('editor.list.copying')}</p>}
        {copyFailed && (
          <p role="alert" class="editor-error">
            {t('editor.list.copyFailed')}
          </p>
        )}
        <ul class="editor-guides" role="list">
          {builtin.map((guide) => (
            <li key={guide.id} class="editor-guide">
              <span class="editor-guide-text">
                <strong>{guide.title}</strong>
                <span class="hint">{t(`categories.${guide.category}`)}</span>
              </span>
              <button
                type="button"
                class="button"
                disabled={copying !== undefined}
                aria-label={t('editor.list.copyLabel', { title: guide.title })}
                onClick={() => void copy(guide)}
              >
                {t('editor.list.copy')}
              </button>
            </li>
          ))}
        </ul>
      </section>
      <p>
        <a class="button" href="/instructor">
          {t('instructor.title')}
        </a>
      </p>
    </section>
  );
}
