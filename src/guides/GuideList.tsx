// A list of guide cards: the guide's first step picture (people who read little choose by picture), title, one-line
// summary. Each card opens the guide's first step.
import { Icon, type IconName } from '../ui/Icon';
import { useGuideQuery } from '../db/guide-queries-lazy';
import type { GuideRecord } from '../db/records';
import { useT } from '../i18n';
import type { GuideStepRecord } from '../db/records';
import { useEffect, useState } from 'preact/hooks';
import type { ComponentType } from 'preact';

type StepPictureType = ComponentType<{ step: GuideStepRecord; decorative?: boolean }>;

/**
 * A card's cover: a built-in picture is a plain file; an own guide's photo comes from the tablet's store through
 * StepPicture, loaded only when such a card is shown, so the participant home's first load stays small.
 */
function Cover({ step }: { step: GuideStepRecord }) {
  const [StepPicture, setStepPicture] = useState<StepPictureType>();
  useEffect(() => {
    // A cover picture is decoration: if its code cannot load, the card keeps its title and stays usable.
    if (!step.imageUrl)
      import('./StepPicture').then(
        (module) => setStepPicture(() => module.StepPicture),
        () => undefined,
      );
  }, [step.imageUrl]);
  if (step.imageUrl) return <img class="step-picture" src={step.imageUrl} alt="" width={400} height={300} decoding="async" loading="lazy" draggable={false} />;
  return StepPicture ? <StepPicture step={step} decorative /> : null;
}

export function guideHref(guide: Pick<GuideRecord, 'slug'>, step: number | 'done' = 1): string {
  return `/guides/${encodeURIComponent(guide.slug)}/${step}`;
}

export function GuideList({ guides }: { guides: GuideRecord[] }) {
  const { t, language } = useT();
  const ids = guides.map((guide) => guide.id);
  const covers = useGuideQuery((queries) => queries.coverSteps(ids), [ids.join(',')]);
  return (
    <ul class="guide-list" role="list">
      {guides.map((guide) => (
        <li key={guide.id}>
          <a class="guide-card" href={guideHref(guide)} lang={guide.lang === language ? undefined : guide.lang}>
            {covers?.get(guide.id) ? (
              <span class="guide-card-picture" aria-hidden="true">
                <Cover step={covers.get(guide.id)!} />
              </span>
            ) : (
              <span class="guide-card-picture is-icon" aria-hidden="true">
                <Icon name={guide.category as IconName} size={48} />
              </span>
            )}
            <span class="guide-card-text">
              <span class="guide-card-title">{guide.title}</span>
              <span class="guide-card-summary">{guide.summary}</span>
              {guide.source === 'org' && <span class="badge">{t('guides.ownGuide')}</span>}
            </span>
          </a>
        </li>
      ))}
    </ul>
  );
}
