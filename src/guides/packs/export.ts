// Owns exporting own guides as a pack file and handing it on: the Web Share API where the tablet can share files
// (e-mail, a messenger, Nearby Share), else a download.
import { readPicture } from '../../db/blobs';
import { ownGuides, stepsOfGuide } from '../../db/guides';
import type { GuideCategory, GuideRecord } from '../../db/records';
import { buildPack } from './pack-zip';
import { packFileName, type PackGuide, type PackPicture, type PackStep } from './format';
import { downloadFile } from '../../ui/download';

/** The pack of these guides: their steps (not deleted ones) and every picture the steps show, once. */
export async function packOf(guides: GuideRecord[], exportedAt = new Date()): Promise<Uint8Array> {
  const packGuides: PackGuide[] = [];
  const packSteps: PackStep[] = [];
  const pictures = new Map<string, PackPicture>();
  for (const guide of guides) {
    packGuides.push({
      id: guide.id,
      updatedAt: guide.updatedAt,
      ...(guide.hlc ? { hlc: guide.hlc } : {}),
      slug: guide.slug,
      lang: guide.lang,
      title: guide.title,
      summary: guide.summary,
      category: guide.category,
      tags: guide.tags,
      source: 'org',
      version: guide.version,
      ...(guide.originId ? { originId: guide.originId } : {}),
    });
    for (const step of await stepsOfGuide(guide.id)) {
      packSteps.push({
        id: step.id,
        updatedAt: step.updatedAt,
        ...(step.hlc ? { hlc: step.hlc } : {}),
        guideId: guide.id,
        orderKey: step.orderKey,
        kind: step.kind,
        ...(step.practice ? { practice: step.practice } : {}),
        text: step.text,
        alt: step.alt,
        ...(step.imageHash ? { imageHash: step.imageHash } : {}),
      });
      if (step.imageHash && !pictures.has(step.imageHash)) {
        const picture = await readPicture(step.imageHash);
        if (picture) pictures.set(step.imageHash, { hash: picture.hash, type: picture.type as PackPicture['type'], bytes: picture.bytes });
      }
    }
  }
  return buildPack(packGuides, packSteps, [...pictures.values()], exportedAt);
}

/** Own guides to export: all of them, or one topic's. */
export async function guidesToExport(category?: GuideCategory): Promise<GuideRecord[]> {
  const guides = await ownGuides();
  return guides.filter((g) => !category || g.category === category).sort((a, b) => a.title.localeCompare(b.title));
}

/** Shares the file where the browser can share files, else downloads it. Returns how it went. */
export async function shareOrDownload(bytes: Uint8Array, fileName: string): Promise<'shared' | 'downloaded' | 'cancelled'> {
  const file = new File([bytes as Uint8Array<ArrayBuffer>], fileName, { type: 'application/zip' });
  if (typeof navigator.canShare === 'function' && navigator.canShare({ files: [file] })) {
    try {
      await navigator.share({ files: [file], title: fileName });
      return 'shared';
    } catch (error) {
      // The instructor closed the share sheet; anything else falls back to a download.
      if (error instanceof DOMException && error.name === 'AbortError') return 'cancelled';
    }
  }
  downloadFile(file, fileName);
  return 'downloaded';
}

export async function exportGuides(guides: GuideRecord[], name: string): Promise<'shared' | 'downloaded' | 'cancelled' | 'nothing'> {
  if (guides.length === 0) return 'nothing';
  return shareOrDownload(await packOf(guides), packFileName(name));
}
