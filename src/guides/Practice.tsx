// The small touch-screen exercises inside the touch-screen guide: tap a target, swipe a card.
import { useRef, useState } from 'preact/hooks';
import { useT } from '../i18n';

export function Practice({ kind }: { kind: 'tap' | 'swipe' }) {
  const { t } = useT();
  const [done, setDone] = useState(false);
  const start = useRef<{ x: number; y: number } | undefined>(undefined);
  const [offset, setOffset] = useState(0);

  if (kind === 'tap') {
    return (
      <div class={`practice ${done ? 'is-done' : ''}`}>
        <button type="button" class="practice-tap" onClick={() => setDone(true)}>
          {t('guides.practice.tapTarget')}
        </button>
        <p role="status">{done ? t('guides.practice.tapDone') : ''}</p>
      </div>
    );
  }
  // Pointer events stop here, so swiping the card never turns the page of the guide.
  return (
    <div class={`practice ${done ? 'is-done' : ''}`} onPointerDown={(e) => e.stopPropagation()} onPointerUp={(e) => e.stopPropagation()}>
      <div
        class="practice-swipe"
        data-testid="practice-swipe"
        style={{ transform: `translateX(${offset}px)` }}
        onPointerDown={(event) => {
          start.current = { x: event.clientX, y: event.clientY };
          event.currentTarget.setPointerCapture?.(event.pointerId);
        }}
        onPointerMove={(event) => {
          if (start.current) setOffset(Math.max(-120, Math.min(120, event.clientX - start.current.x)));
        }}
        onPointerUp={(event) => {
          const from = start.current;
          start.current = undefined;
          setOffset(0);
          if (from && Math.abs(event.clientX - from.x) > 60) setDone(true);
        }}
      >
        {t('guides.practice.swipeTarget')}
      </div>
      <p role="status">{done ? t('guides.practice.swipeDone') : ''}</p>
    </div>
  );
}
