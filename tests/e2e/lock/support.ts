// Steps the shared-tablet browser tests repeat: first-run setup, unlocking, reading what the page has stored.
import type { Page } from 'playwright-core';

export const TEXT = {
  home: 'Mitä haluat oppia?',
  instructor: 'Ohjaajan tila',
  setup: 'Ota ohjaajan tila käyttöön',
  pin: 'Ohjaajan PIN-koodi',
  profiles: 'Ohjaajaprofiilit',
  tablet: 'Tämä tabletti',
  handOver: 'Anna tabletti osallistujalle',
};

export async function heading(page: Page, name: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
}

export async function setUpFirstAdmin(page: Page, url: string, nickname: string, pin: string): Promise<void> {
  await page.goto(`${url}/instructor`);
  await heading(page, TEXT.setup);
  await page.getByLabel('Nimimerkki', { exact: true }).fill(nickname);
  await page.getByLabel('PIN-koodi, vähintään 6 numeroa', { exact: true }).fill(pin);
  await page.getByLabel('Sama PIN-koodi uudelleen', { exact: true }).fill(pin);
  await page.getByRole('button', { name: 'Luo profiili' }).click();
  await heading(page, TEXT.instructor);
}

/** Types the PIN; the PIN screen tries it on its last digit, with no "Avaa" tap. Resolves once the try is over. */
export async function unlock(page: Page, pin: string): Promise<void> {
  await heading(page, TEXT.pin);
  await page.getByLabel('PIN-koodi', { exact: true }).fill(pin);
  await page.waitForFunction((gate) => {
    if (document.querySelector('h1')?.textContent !== gate) return true; // opened
    const field = document.querySelector<HTMLInputElement>('#pin');
    const button = document.querySelector('.lock-screen button[type="submit"]');
    return field?.value === '' && button?.textContent === 'Avaa'; // tried and refused: the field is empty again
  }, TEXT.pin);
}

export async function handOver(page: Page): Promise<void> {
  await page.getByRole('button', { name: TEXT.handOver }).click();
  await heading(page, TEXT.home);
}

/** Every h1 text the page has shown since it loaded (or newly since the last reset), recorded by a MutationObserver. */
export async function installHeadingRecorder(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { seenHeadings: string[] }).seenHeadings = seen;
    new MutationObserver(() => {
      // Right after a reset, the heading already on screen then is not "shown" again by an unrelated change on the page.
      const baseline = (window as unknown as { headingAtReset?: string }).headingAtReset;
      for (const h1 of document.querySelectorAll('h1'))
        if ((seen.length ? seen[seen.length - 1] : baseline) !== h1.textContent) seen.push(h1.textContent ?? '');
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
}

export function seenHeadings(page: Page): Promise<string[]> {
  return page.evaluate(() => [...new Set((window as unknown as { seenHeadings: string[] }).seenHeadings)]);
}

export function resetSeenHeadings(page: Page): Promise<void> {
  return page.evaluate(() => {
    (window as unknown as { seenHeadings: string[] }).seenHeadings.length = 0;
    (window as unknown as { headingAtReset?: string }).headingAtReset = document.querySelector('h1')?.textContent ?? undefined;
  });
}

/** Script files of the instructor area and its screens that this page has loaded. */
export function instructorChunksLoaded(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((entry) => new URL(entry.name).pathname)
      .filter((path) => /(InstructorArea|InstructorHome|ProfilesScreen|TabletSettingsScreen|Session\w*Screen)/.test(path)),
  );
}

/** Every row of every object store of every IndexedDB database of the origin, read inside the page. */
export function everythingInIndexedDb(page: Page): Promise<Record<string, Record<string, unknown[]>>> {
  return page.evaluate(async () => {
    const result: Record<string, Record<string, unknown[]>> = {};
    for (const info of await indexedDB.databases()) {
      const name = info.name!;
      const database = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      result[name] = {};
      for (const store of database.objectStoreNames) {
        result[name]![store] = await new Promise<unknown[]>((resolve, reject) => {
          const request = database.transaction(store).objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
      }
      database.close();
    }
    return result;
  });
}
