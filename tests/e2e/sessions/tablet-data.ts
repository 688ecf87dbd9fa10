// Reads the tablet's IndexedDB from inside the page, for browser tests that check what was really stored.
import type { Page } from 'playwright-core';

/** Every row of one table of the app's database, read with plain IndexedDB (no app code involved). */
export function readTable<T = Record<string, unknown>>(page: Page, table: string): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const request = indexedDB.open('digituki');
        request.onsuccess = () => {
          const database = request.result;
          const read = database.transaction(name).objectStore(name).getAll();
          read.onsuccess = () => {
            database.close();
            resolve(read.result as T[]);
          };
          read.onerror = () => reject(read.error);
        };
        request.onerror = () => reject(request.error);
      }),
    table,
  );
}

/** Counts the taps a test makes, the way an instructor would count them. */
export function tapCounter(): { tap: (target: { click: () => Promise<void> }) => Promise<void>; count: () => number } {
  let taps = 0;
  return {
    async tap(target) {
      taps += 1;
      await target.click();
    },
    count: () => taps,
  };
}

export const TEST_PIN = '246810';

/** Opens "Muut roolit" on the log form (seuraajat, ryhmäläiset, vertaisohjaajat), folded under the people helped. */
export async function openOtherRoles(page: Page): Promise<void> {
  const others = page.locator('details.people-more');
  if (!(await others.evaluate((element: HTMLDetailsElement) => element.open))) await others.locator('summary').click();
}

/** Opens "Lisätiedot" on the log form (referred to, barriers, devices, guides used). */
export async function openMoreDetails(page: Page): Promise<void> {
  const more = page.locator('details.log-more');
  if (!(await more.evaluate((element: HTMLDetailsElement) => element.open))) await more.locator('summary').click();
}

/**
 * Gets past the instructor PIN gate on the current page, as an instructor would: on a new tablet by making the first
 * profile, afterwards with the PIN. Does nothing where no gate is shown.
 */
export async function unlockInstructor(page: Page): Promise<void> {
  const heading = page.getByRole('heading', { level: 1 });
  await heading.waitFor();
  const title = (await heading.textContent()) ?? '';
  if (title === 'Ota ohjaajan tila käyttöön') {
    await page.getByLabel('Nimimerkki').fill('Testiohjaaja');
    await page.getByLabel('PIN-koodi, vähintään 6 numeroa').fill(TEST_PIN);
    await page.getByLabel('Sama PIN-koodi uudelleen').fill(TEST_PIN);
    await page.getByRole('button', { name: 'Luo profiili' }).click();
  } else if (title === 'Ohjaajan PIN-koodi') {
    await page.getByLabel('PIN-koodi', { exact: true }).fill(TEST_PIN); // tried on its last digit, no "Avaa" tap
  } else {
    return;
  }
  await page.waitForFunction((gate) => {
    const text = document.querySelector('h1')?.textContent ?? '';
    return text !== '' && text !== gate;
  }, title);
}
