// "Wipe this tablet" leaves no logs, profiles or tokens in IndexedDB, idb-keyval, local storage or the caches, but the
// app still opens offline. Backups restore what was there; a wrong passphrase or a damaged file changes nothing. Text a
// person types (nicknames) or a file brings in is shown as text: no HTML is made of it and no script runs.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { newTablet, waitForServiceWorker } from '../support/harness';
import { it } from '../support/fixtures';
import { everythingInIndexedDb, heading, setUpFirstAdmin, TEXT, unlock } from './support';
import { axeViolations } from '../support/axe';

const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>alert(2)</script>';
const PASSPHRASE = 'pullaa ja kahvia 2026';

describe('wipe this tablet', () => {
  it('erases logs, profiles, tokens and data caches, keeps the app shell, and the app still opens offline', async ({ browser, app }) => {
    const { context, page } = await newTablet(browser);
    await setUpFirstAdmin(page, app.url, 'Anna', '482913');
    await waitForServiceWorker(page);
    // What a tablet in use holds: a log waiting to sync, a device token, a cached picture, a device setting.
    await page.evaluate(async () => {
      const database = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('digituki');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const tx = database.transaction(['sessions', 'outbox', 'syncState', 'feedback'], 'readwrite');
      tx.objectStore('sessions').put({
        id: 'log-1',
        org: 'o',
        site: 's',
        updatedAt: 1,
        hlc: '1',
        fieldClocks: {},
        deleted: 0,
        status: 'final',
        startedAt: Date.now(),
        format: 'walk-in',
        topics: ['e-identification'],
      });
      tx.objectStore('outbox').add({ table: 'sessions', recordId: 'log-1', hlc: '1', fields: { format: 'walk-in' } });
      tx.objectStore('syncState').put({ key: 'device', value: { deviceId: 'd-1', token: 'device-token-secret' } });
      tx.objectStore('feedback').put({ id: 'fb-1', org: 'o', site: 's', createdAt: 1, lang: 'fi', answers: {} });
      await new Promise((resolve) => (tx.oncomplete = resolve));
      database.close();
      const pictures = await caches.open('digituki-pictures');
      await pictures.put('/v1/blobs/abc', new Response('picture bytes'));
      localStorage.setItem('draft', 'something');
    });
    const before = await everythingInIndexedDb(page);
    expect(before.digituki!.profiles).toHaveLength(1);
    expect(before['digituki-device']).toBeDefined(); // the participant settings' own database (src/db/device-local.ts)

    await page.goto(`${app.url}/instructor/tablet`); // a new page load: locked again
    await unlock(page, '482913');
    await heading(page, TEXT.tablet);
    await page.getByRole('button', { name: 'Tyhjennä tabletti…' }).click();
    await expect(page.getByRole('group', { name: 'Poistetaanko kaikki tältä tabletilta?' }).textContent()).resolves.toContain(
      '1 muutos ei ole vielä palvelimella',
    );
    await page.getByRole('button', { name: 'Kyllä, poista kaikki' }).click();
    await page.waitForURL(`${app.url}/`);
    await heading(page, TEXT.home);

    const after = await everythingInIndexedDb(page);
    // The app puts its built-in guides (shipped content, the same on every tablet) back at start; nothing else returns.
    const builtin = (after.digituki!.guides as { id: string; source: string }[]).filter((guide) => guide.source === 'builtin').map((guide) => guide.id);
    expect(after.digituki!.guides).toHaveLength(builtin.length);
    expect((after.digituki!.guideSteps as { guideId: string }[]).filter((step) => !builtin.includes(step.guideId))).toEqual([]);
    for (const [database, stores] of Object.entries(after)) {
      for (const [store, rows] of Object.entries(stores)) {
        if (database === 'digituki' && (store === 'guides' || store === 'guideSteps')) continue;
        // The only sync-state row back is the version stamp of that built-in content; no token, clock or place.
        const left = database === 'digituki' && store === 'syncState' ? (rows as { key: string }[]).filter((row) => !row.key.startsWith('builtin')) : rows;
        expect(left, `${database}/${store}`).toEqual([]);
      }
    }
    expect(Object.keys(after)).toEqual(expect.arrayContaining(['digituki', 'digituki-device']));
    const storage = await page.evaluate(async () => {
      const names = await caches.keys();
      const urls: string[] = [];
      for (const name of names) for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
      const local: Record<string, string> = {};
      for (let i = 0; i < localStorage.length; i++) local[localStorage.key(i)!] = localStorage.getItem(localStorage.key(i)!)!;
      return { names, urls, local, session: sessionStorage.length };
    });
    expect(storage.names.length).toBeGreaterThan(0);
    expect(storage.names.every((name) => name.startsWith('workbox-precache'))).toBe(true);
    // What the precache keeps is the built app itself: every entry is a file of the build, none is data.
    expect(storage.urls.length).toBeGreaterThan(0);
    expect(storage.urls.filter((path) => !existsSync(join(app.staticDir, path)))).toEqual([]);
    expect(storage.urls.some((path) => path.startsWith('/v1/'))).toBe(false);
    // As with the built-in guides, the app puts back at start only its copy of the device settings, at their defaults.
    const { 'digituki.deviceSettings': settingsMirror, ...restOfLocal } = storage.local;
    if (settingsMirror !== undefined) {
      const mirrored = JSON.parse(settingsMirror) as { language?: string; textSize?: string };
      expect(mirrored.textSize).toBe('normal');
      expect([undefined, 'fi']).toContain(mirrored.language);
    }
    expect(restOfLocal).toEqual({});
    expect(storage.session).toBe(0);

    // No profile is left: the instructor area asks for a new setup. And the app shell still works offline.
    await page.goto(`${app.url}/instructor`);
    await heading(page, TEXT.setup);
    await context.setOffline(true);
    await page.goto(app.url);
    await heading(page, TEXT.home);
    await context.close();
  });
});

describe('backup and typed or imported text', () => {
  it('nicknames with HTML render as text; a backup with them restores them as text; bad files change nothing', async ({ browser, app }) => {
    const { context, page } = await newTablet(browser);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await setUpFirstAdmin(page, app.url, IMG, '482913');
    await expect(page.locator('.instructor-who p').textContent()).resolves.toBe(`Ohjaaja: ${IMG}`);

    await page.getByRole('link', { name: 'Ohjaajaprofiilit ja PIN-koodit' }).click();
    await heading(page, TEXT.profiles);
    await page.getByLabel('Nimimerkki', { exact: true }).fill(SCRIPT);
    await page.getByLabel('PIN-koodi, vähintään 6 numeroa', { exact: true }).fill('111222');
    await page.getByLabel('Sama PIN-koodi uudelleen', { exact: true }).fill('111222');
    await page.getByRole('button', { name: 'Lisää ohjaaja' }).click();
    await page.getByRole('status').filter({ hasText: 'voi nyt avata' }).waitFor();
    const names = await page.getByTestId('profile-list').locator('.profile-name').allTextContents();
    expect(names.map((n) => n.trim()).sort()).toEqual([`${IMG} (sinä)`, SCRIPT].sort());

    // Make a backup file and wipe the tablet.
    await page.goto(`${app.url}/instructor/tablet`);
    await heading(page, TEXT.pin);
    await page.getByRole('radio', { name: IMG }).check();
    await unlock(page, '482913');
    await heading(page, TEXT.tablet);
    await page.getByLabel('Salalause, vähintään 10 merkkiä', { exact: true }).fill(PASSPHRASE);
    await page.getByLabel('Sama salalause uudelleen', { exact: true }).fill(PASSPHRASE);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Lataa varmuuskopio' }).click()]);
    const backupPath = await download.path();
    expect(download.suggestedFilename()).toMatch(/^digituki-backup-\d{4}-\d{2}-\d{2}\.digituki$/);
    await page.getByRole('button', { name: 'Tyhjennä tabletti…' }).click();
    await page.getByRole('button', { name: 'Kyllä, poista kaikki' }).click();
    await heading(page, TEXT.home);

    // Restore is the site admin's: the setup screen only says so; a new admin restores from the tablet settings.
    await page.goto(`${app.url}/instructor`);
    await heading(page, TEXT.setup);
    expect(await page.getByLabel('Varmuuskopiotiedosto', { exact: true }).count()).toBe(0);
    await setUpFirstAdmin(page, app.url, 'Sara', '736152');
    await page.goto(`${app.url}/instructor/tablet`);
    await unlock(page, '736152');
    await heading(page, TEXT.tablet);
    // A damaged file and a wrong passphrase are refused and change nothing.
    const file = page.getByLabel('Varmuuskopiotiedosto', { exact: true });
    const passphrase = page.getByLabel('Varmuuskopion salalause', { exact: true });
    await file.setInputFiles({ name: `${IMG}.digituki`, mimeType: 'application/json', buffer: Buffer.from(`${SCRIPT}${IMG}`) });
    await passphrase.fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Palauta', exact: true }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Tiedosto on vioittunut tai se ei ole Digitukin varmuuskopio. Mitään ei muutettu.');
    await file.setInputFiles(backupPath);
    await passphrase.fill('väärä salalause');
    await page.getByRole('button', { name: 'Palauta', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Salalause ei avaa' }).waitFor();
    const untouched = await everythingInIndexedDb(page);
    expect((untouched.digituki!.profiles as { nickname: string }[]).map((p) => p.nickname)).toEqual(['Sara']);

    await passphrase.fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Palauta', exact: true }).click();
    const restored = page.getByTestId('restored-profiles');
    await restored.waitFor();
    expect((await restored.locator('li').allTextContents()).sort()).toEqual([IMG, SCRIPT].sort());
    // The file's admin comes back as an instructor; no profile of the file has a PIN hash (the file has none).
    const stored = (await everythingInIndexedDb(page)).digituki!.profiles as { nickname: string; role: string; pinHash?: string }[];
    expect(stored.filter((p) => p.role === 'admin').map((p) => p.nickname)).toEqual(['Sara']);
    expect(stored.filter((p) => p.nickname !== 'Sara').map((p) => [p.role, p.pinHash])).toEqual([
      ['instructor', undefined],
      ['instructor', undefined],
    ]);
    // They wait on the PIN screen until the admin gives them PINs.
    await page.getByRole('button', { name: TEXT.handOver }).click();
    await page.goto(`${app.url}/instructor`);
    await heading(page, TEXT.pin);
    expect(await page.locator('label.choice').count()).toBe(0); // only Sara: no choice to make
    await expect(page.locator('.profile-name').textContent()).resolves.toBe('Sara');

    // Nothing typed or imported became an element or ran.
    expect(await page.locator('img[src="x"], body script').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await context.close();
  });
});

describe('roles on the tablet settings screen', () => {
  it('an instructor sees no backup, restore or wipe button, only why; the admin sees them; no axe findings', async ({ browser, app }) => {
    const { context, page } = await newTablet(browser);
    await setUpFirstAdmin(page, app.url, 'Anna', '482913');
    await page.goto(`${app.url}/instructor/profiles`);
    await unlock(page, '482913');
    await heading(page, TEXT.profiles);
    await page.getByLabel('Nimimerkki', { exact: true }).fill('Ville');
    await page.getByLabel('PIN-koodi, vähintään 6 numeroa', { exact: true }).fill('283746');
    await page.getByLabel('Sama PIN-koodi uudelleen', { exact: true }).fill('283746');
    await page.getByRole('button', { name: 'Lisää ohjaaja' }).click();
    await page.getByRole('status').filter({ hasText: 'voi nyt avata' }).waitFor();

    await page.goto(`${app.url}/instructor/tablet`);
    await page.getByRole('radio', { name: 'Ville' }).check();
    await unlock(page, '283746');
    await heading(page, TEXT.tablet);
    await page.getByText('Vain toimipaikan pääkäyttäjä voi tehdä varmuuskopion').waitFor();
    for (const name of ['Lataa varmuuskopio', 'Palauta', 'Tyhjennä tabletti…'])
      expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    expect(await page.getByLabel('Varmuuskopiotiedosto', { exact: true }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`${app.url}/instructor/tablet`);
    await page.getByRole('radio', { name: 'Anna' }).check();
    await unlock(page, '482913');
    await heading(page, TEXT.tablet);
    for (const name of ['Lataa varmuuskopio', 'Palauta', 'Tyhjennä tabletti…']) await page.getByRole('button', { name, exact: true }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
