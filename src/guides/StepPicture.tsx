// A step's picture: a precached file for built-in guides, or a picture from the tablet's own store for own guides.
import { useEffect, useState } from 'preact/hooks';
import { blobByHash } from '../db/guides';
import type { GuideStepRecord } from '../db/records';

export function StepPicture({ step }: { step: GuideStepRecord }) {
  const [blobUrl, setBlobUrl] = useState<string | undefined>();
  useEffect(() => {
    if (!step.imageHash) return;
    let url: string | undefined;
    let cancelled = false;
    void blobByHash(step.imageHash).then((blob) => {
      if (cancelled || !blob) return;
      url = URL.createObjectURL(blob.bytes);
      setBlobUrl(url);
    });
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
      setBlobUrl(undefined);
    };
  }, [step.imageHash]);
  const src = step.imageUrl ?? blobUrl;
  if (!src) return null;
  return <img class="step-picture" src={src} alt={step.alt} width={400} height={300} decoding="async" draggable={false} />;
}
