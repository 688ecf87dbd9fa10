// A short notice after a delete with an Undo button; it goes away by itself after UNDO_SHOWN_MS.
import { useEffect } from 'preact/hooks';
import { useT } from '../../i18n';
import { UNDO_SHOWN_MS } from './guide-edits';

export function UndoNotice(props: { message: string; onUndo: () => void; onGone: () => void }) {
  const { t } = useT();
  useEffect(() => {
    const timer = setTimeout(props.onGone, UNDO_SHOWN_MS);
    return () => clearTimeout(timer);
  }, [props.message]);
  return (
    <div class="undo-notice" role="status">
      <p>{props.message}</p>
      <button type="button" class="button" onClick={props.onUndo}>
        {t('editor.undo')}
      </button>
    </div>
  );
}
