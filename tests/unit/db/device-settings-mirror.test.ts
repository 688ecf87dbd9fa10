// The settings' synchronous mirror, which the first paint reads: it follows every save, and anything unreadable in it
// gives the defaults (IndexedDB stays the truth), never an error before the first frame.
import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  expectedRecentGuideCount,
  forgetRecentGuides,
  loadDeviceSettings,
  mirroredDeviceSettings,
  rememberGuideOpened,
  saveLanguage,
  saveTextSize,
} from '../../../src/db/device-settings';

beforeEach(() => localStorage.clear());

describe('the device settings mirror', () => {
  it('follows the saved language and text size, and IndexedDB has the same', async () => {
    await saveLanguage('sv');
    await saveTextSize('large');
    expect(mirroredDeviceSettings()).toEqual({ language: 'sv', textSize: 'large' });
    expect(await loadDeviceSettings()).toEqual({ language: 'sv', textSize: 'large' });
  });

  it('gives the defaults for anything unreadable in it', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.constant('null'), fc.constant('{"textSize":"huge","language":3}')), (stored) => {
        localStorage.setItem('digituki.deviceSettings', stored);
        const settings = mirroredDeviceSettings();
        expect(['normal', 'large', 'xlarge']).toContain(settings.textSize);
        expect(settings.language === undefined || typeof settings.language === 'string').toBe(true);
      }),
    );
  });

  it('counts the recently opened guides for the home, and forgetting them sets the count to 0', async () => {
    expect(expectedRecentGuideCount()).toBe(0);
    await rememberGuideOpened('a');
    await rememberGuideOpened('b');
    await rememberGuideOpened('a');
    expect(expectedRecentGuideCount()).toBe(2);
    await forgetRecentGuides();
    expect(expectedRecentGuideCount()).toBe(0);
    localStorage.setItem('digituki.recentGuideCount', 'many');
    expect(expectedRecentGuideCount()).toBe(0);
  });

  it('counts an opened guide before its slug is stored, so a page closed in between never leaves the home expecting none', async () => {
    // The home reserves the recent guides' place by this count; one that lagged behind the stored slugs let the recent
    // guides push the topics down when they arrived (a layout shift CI caught on a loaded machine).
    const countAtWrite: number[] = [];
    const put = IDBObjectStore.prototype.put;
    const spy = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      countAtWrite.push(expectedRecentGuideCount());
      return put.apply(this, args);
    });
    try {
      await rememberGuideOpened('a');
      await rememberGuideOpened('b');
    } finally {
      spy.mockRestore();
    }
    expect(countAtWrite).toEqual([1, 2]);
  });
});
