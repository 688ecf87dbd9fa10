// A list of guide cards: title, one-line summary, topic icon. Each card opens the guide's first step.
import { Icon, type IconName } from '../app/ui/Icon';
import type { GuideRecord } from '../db/records';
import { useT } from '../i18n';

export function guideHref(guide: Pick<GuideRecord, 'slug'>, step: number | 'done' = 1): string {
  return `/guides/${encodeURIComponent(guide.slug)}/${step}`;
}

export function GuideList({ guides }: { guides: GuideRecord[] }) {
  const { t, language } = useT();
  return (
    <ul class="guide-list" role="list">
      {guides.map((guide) => (
        <li key={guide.id}>
          <a class="guide-card" href={guideHref(guide)} lang={guide.lang === language ? undefined : guide.lang}>
            <Icon name={guide.category as IconName} size={40} />
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
