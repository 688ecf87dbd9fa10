// The guide library on the participant home: search, topics with icons, and the guides opened lately on this tablet.
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { location } from '../ui/router';
import { Icon, type IconName } from '../ui/Icon';
import { useObservable } from '../ui/use-observable';
import { expectedRecentGuideCount, loadRecentGuides, recentGuidesForgotten } from '../db/device-settings';
import { useGuideQuery } from '../db/guide-queries-lazy';
import type { GuideRecord } from '../db/records';
import { useT } from '../i18n';
import { GUIDE_CATEGORIES } from '../protocol/lists';
import { GuideList } from './GuideList';
import { buildIndex, searchGuides } from './search';
import './guides.css';

function byTitle(a: GuideRecord, b: GuideRecord) {
  return a.title.localeCompare(b.title);
}

/** The topic tiles: the way in for those who do not search, also after a search found nothing. */
function Topics() {
  const { t } = useT();
  return (
    <section aria-labelledby="topics-title">
      <h2 id="topics-title">{t('home.categories')}</h2>
      <ul class="tiles" role="list">
        {GUIDE_CATEGORIES.map((c) => (
          <li key={c}>
            <a class={`tile tile-${c}`} href={`/?category=${c}`}>
              <Icon name={c as IconName} size={48} />
              <span>{t(`categories.${c}`)}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * `footer` comes after the library and appears only once the part above it is complete, so it never moves down while
 * the guides fill in (the home's first paint does not wait for the database; CLS stays 0).
 */
export function Library({ footer }: { footer?: ComponentChildren }) {
  const { t, language } = useT();
  const { search } = useObservable(location);
  const category = GUIDE_CATEGORIES.find((c) => c === search.get('category'));
  const all = useGuideQuery((queries) => queries.libraryGuides(), []);
  const [query, setQuery] = useState('');
  const [recentSlugs, setRecentSlugs] = useState<string[]>();
  const forgotten = useObservable(recentGuidesForgotten);
  useEffect(() => {
    // Recently opened guides are a shortcut: if they cannot be read, the home shows the topics without them.
    loadRecentGuides().then(setRecentSlugs, () => setRecentSlugs([]));
  }, [forgotten]);
  // The topics need no data: shown at once, unless recently opened guides are coming to sit above them.
  const [expectRecent] = useState(() => expectedRecentGuideCount() > 0);
  const homeReady = !expectRecent || (all !== undefined && recentSlugs !== undefined);

  // Built-in guides in the reader's language; the organisation's own guides in whatever language they were written.
  // An own guide appears once it has a title (the editor saves from the first keystroke).
  const guides = useMemo(() => (all ?? []).filter((g) => (g.source === 'builtin' ? g.lang === language : g.title.trim() !== '')), [all, language]);
  // The index is built when someone starts typing, not on every visit to the home screen.
  const searching = query.trim() !== '';
  const index = useMemo(() => (searching ? buildIndex(guides) : undefined), [guides, searching]);
  const hits = useMemo(() => (index ? searchGuides(index, query, language).map((hit) => hit.guide) : undefined), [index, query, language]);
  const recent = useMemo(
    () =>
      (recentSlugs ?? [])
        .map((slug) => guides.find((g) => g.slug === slug && g.lang === language) ?? guides.find((g) => g.slug === slug))
        .filter((g): g is GuideRecord => !!g),
    [recentSlugs, guides, language],
  );

  return (
    // Busy until the guides and the recently opened ones are read: what is on screen is then complete.
    <div class="library" aria-busy={all === undefined || recentSlugs === undefined}>
      <form role="search" class="guide-search" onSubmit={(event) => event.preventDefault()}>
        <label for="guide-search">{t('guides.searchLabel')}</label>
        <div class="search-row">
          <input
            id="guide-search"
            type="text"
            enterkeyhint="search"
            value={query}
            placeholder={t('guides.searchPlaceholder')}
            autocomplete="off"
            onInput={(event) => setQuery(event.currentTarget.value)}
          />
          {query && (
            <button type="button" class="button" onClick={() => setQuery('')}>
              {t('guides.clearSearch')}
            </button>
          )}
        </div>
      </form>

      {all === undefined && (hits || category) ? (
        <p class="loading">{t('guides.loadingGuides')}</p>
      ) : hits ? (
        <section aria-labelledby="results-title">
          <h2 id="results-title" aria-live="polite">
            {t('guides.results', { count: hits.length })}
          </h2>
          {hits.length ? <GuideList guides={hits} /> : <p>{t('guides.noResults')}</p>}
        </section>
      ) : null}
      {all !== undefined && hits && hits.length === 0 && <Topics />}
      {hits
        ? null
        : category
          ? all !== undefined && (
              <section aria-labelledby="category-title">
                <h2 id="category-title" class="category-heading">
                  <Icon name={category as IconName} size={36} />
                  {t(`categories.${category}`)}
                </h2>
                {(() => {
                  const inCategory = guides.filter((g) => g.category === category).sort(byTitle);
                  return inCategory.length ? <GuideList guides={inCategory} /> : <p>{t('home.noGuides')}</p>;
                })()}
                <p>
                  <a class="button" href="/">
                    <Icon name="back" />
                    {t('guides.allTopics')}
                  </a>
                </p>
              </section>
            )
          : homeReady && (
              <>
                {recent.length > 0 && (
                  <section aria-labelledby="recent-title">
                    <h2 id="recent-title">{t('guides.recent')}</h2>
                    <GuideList guides={recent} />
                  </section>
                )}
                <Topics />
              </>
            )}
      {(hits || category ? all !== undefined : homeReady) && footer}
    </div>
  );
}
