// Owns what the instructor sees of changes written for an earlier place (another organisation or site): how many wait,
// and the two ways out — save them to a file for that place, or throw them away after a confirmation. They are never
// sent here (README, "Outbox and place").
import { useState } from 'preact/hooks';
import { downloadFile } from '../ui/download';
import { ConfirmBox } from '../ui/ConfirmBox';
import { db } from '../db/db';
import { useLiveQuery } from '../db/live';
import { discardHeldBack, heldBackChanges, heldBackCount } from '../db/sync';
import { useT } from '../i18n';
import { useFailed } from '../ui/use-failed';

export function heldBackFileName(now: number): string {
  return `digituki-held-back-${new Date(now).toISOString().slice(0, 10)}.json`;
}

export function HeldBackChanges() {
  const { t } = useT();
  const count = useLiveQuery(() => heldBackCount(db()), []) ?? 0;
  const [confirming, setConfirming] = useState(false);
  const [saved, setSaved] = useState(false);
  const failed = useFailed();
  if (count <= 0) return null;
  const save = async () => {
    const now = Date.now();
    const changes = await heldBackChanges(db(), now);
    downloadFile(new Blob([JSON.stringify(changes, null, 2)], { type: 'application/json' }), heldBackFileName(now));
    setSaved(true);
  };
  const discard = async () => {
    await discardHeldBack(db());
    setConfirming(false);
    setSaved(false);
  };
  return (
    <section class="card held-back" aria-labelledby="held-back-title" data-testid="held-back">
      <h2 id="held-back-title">{t('sync.heldBack.title')}</h2>
      <p data-testid="held-back-count">{t('sync.heldBack.count', { count })}</p>
      <p class="help">{t('sync.heldBack.help')}</p>
      {saved && <p role="status">{t('sync.heldBack.saved')}</p>}
      <div class="button-row">
        <button type="button" class="button" onClick={() => save().catch(failed)}>
          {t('sync.heldBack.save')}
        </button>
        {!confirming ? (
          <button type="button" class="button danger" onClick={() => setConfirming(true)}>
            {t('sync.heldBack.discard')}
          </button>
        ) : (
          <ConfirmBox
            id="held-back-question"
            question={t('sync.heldBack.discardConfirm', { count })}
            yes={t('sync.heldBack.discardYes')}
            cancel={t('sync.cancel')}
            onYes={discard}
            onCancel={() => setConfirming(false)}
          />
        )}
      </div>
    </section>
  );
}
