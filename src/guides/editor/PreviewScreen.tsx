// Preview of an own guide exactly as a participant sees it: the viewer's own step screen, with addresses that stay
// inside the instructor area (leaving it would lock the tablet), and "Finish" coming back to the editor.
import { guideById, stepsOfGuide } from '../../db/guides';
import { useLiveQuery } from '../../db/live';
import type { GuideStepRecord } from '../../db/records';
import { useT } from '../../i18n';
import { StepScreen } from '../Viewer';
import './editor.css';

export default function PreviewScreen({ params }: { params: Record<string, string> }) {
  const { t } = useT();
  const id = params.id ?? '';
  const guide = useLiveQuery(() => guideById(id).then((g) => g ?? null), [id]);
  const steps = useLiveQuery(() => stepsOfGuide(id), [id]) ?? ([] as GuideStepRecord[]);
  const editorHref = `/instructor/guides/${id}`;
  if (guide === undefined) return <p class="loading">{t('app.loading')}</p>;
  const number = Math.min(Math.max(1, Number.parseInt(params.step ?? '1', 10) || 1), Math.max(1, steps.length));
  return (
    <>
      <div class="preview-banner" role="note">
        <p>{t('editor.preview.banner')}</p>
        <a class="button" href={editorHref}>
          {t('editor.preview.back')}
        </a>
      </div>
      {guide && steps.length > 0 ? (
        <StepScreen
          key={`${id}-${number}`}
          guideTitle={guide.title}
          lang={guide.lang}
          slug={guide.slug}
          steps={steps}
          number={number}
          hrefOf={(step) => (step === 'done' ? editorHref : `/instructor/guides/${id}/preview/${step}`)}
          closeHref={editorHref}
        />
      ) : (
        <h1>{t('editor.guide.noSteps')}</h1>
      )}
    </>
  );
}
