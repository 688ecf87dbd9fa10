// The instructor opens the app once online; from then on it starts, deep-links and keeps data with no network.
import { describe, expect } from 'vitest';
import { it } from '../support/fixtures';
import { newTablet, publish, waitForServiceWorker } from '../support/harness';
import { BUILD_B, BUILD_ID_A, BUILD_ID_B } from '../support/paths';
import { heading, setUpFirstAdmin, unlock } from '../lock/support';

const PIN = '582947';

describe('first visit online, then no network', () => {
  it('is controlled by the service worker and then renders offline in Finnish, also from a deep link', async ({ browser, app }) => {
    const { context, page } = await newTablet(browser);
    await page.goto(app.url);
    await page.getByRole('heading', { level: 1, name: 'Mitä haluat oppia?' }).waitFor();
    await waitForServiceWorker(page);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    await context.setOffline(true);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Mitä haluat oppia?' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fi');
    await expect(page.getByRole('status').textContent()).resolves.toContain('Ei verkkoa');

    // A deep link typed or bookmarked while offline still opens the app at that screen.
    await page.goto(`${app.url}/settings`);
    await page.getByRole('heading', { level: 1, name: 'Asetukset' }).waitFor();
    expect(await page.getByTestId('storage-used').count()).toBe(0); // storage and version are the instructor's, not the participant's
    await page.goto(`${app.url}/instructor`);
    await page.getByRole('heading', { level: 1, name: 'Ota ohjaajan tila käyttöön', exact: true }).waitFor(); // first-run setup of the PIN lock
    await setUpFirstAdmin(page, app.url, 'Ohjaaja', PIN);
    await page.getByRole('navigation', { name: 'Ohjaajan valikko' }).getByRole('link', { name: 'Tabletti' }).click();
    await heading(page, 'Tämä tabletti');
    // Storage usage in the tablet settings.
    await expect(page.getByTestId('storage-used').textContent()).resolves.toMatch(/^Käytössä [\d,]+ (t|kt|Mt|Gt) \/ [\d,]+ (t|kt|Mt|Gt)$/);
    await context.close();
  });

  it('keeps the chosen language (Swedish) and text size over an offline reload', async ({ browser, app }) => {
    const { context, page } = await newTablet(browser);
    await page.goto(`${app.url}/settings`);
    await waitForServiceWorker(page);
    await context.setOffline(true);

    await page.getByRole('radio', { name: 'Svenska' }).check();
    await page.getByRole('heading', { level: 1, name: 'Inställningar' }).waitFor();
    await page.getByRole('radio', { name: 'Mycket stor' }).check();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.textSize)).toBe('xlarge'); // applied once saved

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Inställningar' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('sv');
    expect(await page.evaluate(() => document.documentElement.dataset.textSize)).toBe('xlarge');
    expect(await page.getByRole('radio', { name: 'Mycket stor' }).isChecked()).toBe(true);
    await page.goto(app.url);
    await page.getByRole('heading', { level: 1, name: 'Vad vill du lära dig?' }).waitFor();
    await context.close();
  });

  it('keeps data written to the IndexedDB database over an offline reload', async ({ browser, app }) => {
    const { context, page } = await newTablet(browser);
    await page.goto(app.url);
    await waitForServiceWorker(page);
    await context.setOffline(true);
    const tables = await page.evaluate(
      () =>
        new Promise<string[]>((resolve, reject) => {
          const request = indexedDB.open('digituki');
          request.onsuccess = () => {
            const database = request.result;
            const names = [...database.objectStoreNames];
            const tx = database.transaction('syncState', 'readwrite');
            tx.objectStore('syncState').put({ key: 'e2e-marker', value: 'written offline' });
            tx.oncomplete = () => {
              database.close();
              resolve(names);
            };
            tx.onerror = () => reject(tx.error);
          };
          request.onerror = () => reject(request.error);
        }),
    );
    expect(tables.sort()).toEqual(['blobs', 'feedback', 'guideSteps', 'guides', 'outbox', 'profiles', 'sessions', 'syncState']);
    await page.reload();
    await page.getByRole('heading', { level: 1 }).waitFor();
    const marker = await page.evaluate(
      () =>
        new Promise<unknown>((resolve, reject) => {
          const request = indexedDB.open('digituki');
          request.onsuccess = () => {
            const get = request.result.transaction('syncState').objectStore('syncState').get('e2e-marker');
            get.onsuccess = () => resolve((get.result as { value: unknown } | undefined)?.value);
            get.onerror = () => reject(get.error);
          };
          request.onerror = () => reject(request.error);
        }),
    );
    expect(marker).toBe('written offline');
    await context.close();
  });
});

// It publishes build B over the file's server, so it stays the file's last suite.
describe('a newer version', () => {
  it('shows the update prompt and switches only when the instructor accepts', async ({ browser, app }) => {
    const { context, page } = await newTablet(browser);
    await page.goto(`${app.url}/`);
    await waitForServiceWorker(page);
    // The version is in the instructor's tablet settings.
    await setUpFirstAdmin(page, app.url, 'Ohjaaja', PIN);
    await page.getByRole('navigation', { name: 'Ohjaajan valikko' }).getByRole('link', { name: 'Tabletti' }).click();
    await heading(page, 'Tämä tabletti');
    await expect(page.getByTestId('app-version').textContent()).resolves.toContain(BUILD_ID_A);

    publish(app, BUILD_B);
    await page.evaluate(() => {
      (window as unknown as { stillSamePage: boolean }).stillSamePage = true;
    });
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration?.update();
    });
    const prompt = page.getByRole('region', { name: 'Uusi versio on valmis.' });
    await prompt.waitFor();

    // "Later" leaves the running version alone and nothing reloads: a switch starts with the page asking the waiting
    // version to take over (SKIP_WAITING, posted in the tap's own handler), so the page notes every message it posts.
    await page.evaluate(() => {
      const posted: unknown[] = [];
      (window as unknown as { postedToWorkers: unknown[] }).postedToWorkers = posted;
      const post = ServiceWorker.prototype.postMessage as (this: ServiceWorker, ...args: unknown[]) => void;
      ServiceWorker.prototype.postMessage = function (this: ServiceWorker, ...args: unknown[]) {
        posted.push(args[0]);
        post.apply(this, args);
      };
    });
    await page.getByRole('button', { name: 'Myöhemmin' }).click();
    await prompt.waitFor({ state: 'detached' }); // the tap's handler has run
    expect(await page.evaluate(() => (window as unknown as { postedToWorkers: unknown[] }).postedToWorkers)).toEqual([]);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting?.state)).toBe('installed');
    expect(await page.evaluate(() => (window as unknown as { stillSamePage?: boolean }).stillSamePage)).toBe(true);
    await expect(page.getByTestId('app-version').textContent()).resolves.toContain(BUILD_ID_A);

    // The prompt comes back on the next start while the new version still waits; accepting switches.
    await page.reload();
    await prompt.waitFor();
    await unlock(page, PIN); // a reload locks the instructor area
    await expect(page.getByTestId('app-version').textContent()).resolves.toContain(BUILD_ID_A);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Päivitä nyt' }).click()]);
    await unlock(page, PIN);
    await page.getByTestId('app-version').waitFor();
    await expect(page.getByTestId('app-version').textContent()).resolves.toContain(BUILD_ID_B);
    expect(await prompt.count()).toBe(0);
    await context.close();
  });
});
