// A step's picture: a precached file for built-in guides, or a picture from the tablet's own store for own guides.
import { useEffect, useState } from 'preact/hooks';
import { blobByHash } from '../db/guides';
import type { GuideStepRecord } from '../db/records';
import { isBuiltinId } from '../protocol/builtin';

/** A built-in step's picture file, shipped with the app: an address on this site, never a data: or another site's one. */
export function shippedPicture(step: Pick<GuideStepRecord, 'id' | 'imageUrl'>): string | undefined {
  return isBuiltinId(step.id) && step.imageUrl?.startsWith('/') && !step.imageUrl.startsWith('//') ? step.imageUrl : undefined;
}

/** `decorative` for a card's cover: the card's title says what it is, so the picture has no text of its own. */
export function StepPicture({ step, decorative = false }: { step: GuideStepRecord; decorative?: boolean }) {
  const [blobUrl, setBlobUrl] = useState<string | undefined>();
  useEffect(() => {
    if (!step.imageHash) return;
    let url: string | undefined;
    let cancelled = false;
    // A picture that cannot be read is shown as a missing one: the step's text still guides.
    blobByHash(step.imageHash).then(
      (blob) => {
        if (cancelled || !blob) return;
        url = URL.createObjectURL(blob.bytes);
        setBlobUrl(url);
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
      setBlobUrl(undefined);
    };
  }, [step.imageHash]);
  const src = shippedPicture(step) ?? blobUrl;
  if (!src) return null;
  return (
    <img
      class="step-picture"
      src={src}
      alt={decorative ? '' : step.alt}
      width={400}
      height={300}
      decoding="async"
      loading={decorative ? 'lazy' : undefined}
      draggable={false}
    />
  );
}
