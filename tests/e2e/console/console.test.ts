// The coordinator's console in real Chromium against the real server: set up and log in, see the numbers of two sites
// that two tablets (the real app) synced, make an enrolment code and enrol a tablet with it, hide a guide and see a
// tablet lose it, revoke a tablet and see it told; axe on every screen; and the tablet app never loads the console.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { createEnrolmentCode, createOrganisation, createSite, enrolmentLink } from '../../../src/server/admin';
import { createConsoleAccount } from '../../../src/server/console/accounts';
import { ConsoleStore } from '../../../src/server/console/console-store';
import type { Site } from '../../../src/server/store';
import { heading, unlock } from '../lock/support';
import { axeViolations } from '../support/axe';
import { it } from '../support/fixtures';
import { saveScreenshot } from '../support/screenshots';
import { newTablet, waitForServiceWorker, type AppUnderTest } from '../support/harness';
import { BUILD_A } from '../support/paths';
import { SHOWN_GROUPS } from '../../../src/console/dashboard-view';
import { decodeQr, enrolWithLink, freshTablet, goInApp, PIN, precacheUrls, readChart, shownNumber, syncNow, writeLog, type TabletUnderTest } from './support';

const EMAIL = 'koordinaattori@esimerkki.fi';
const PASSWORD = 'pitkä salasana joka on helppo muistaa';
const GUIDE = 'Kirjaston tulostin';
const TIP = 'Valitse ensin oikea tulostin.';

let kallio: Site;
let vallila: Site;
let setupLink = '';
let coordinator: { context: BrowserContext; page: Page };
let tabletA: TabletUnderTest;
let tabletB: TabletUnderTest;
let siteAdminLink = '';

/** The console's heading of the screen now open. */
const consoleHeading = (name: string) => coordinator.page.getByRole('heading', { level: 1, name, exact: true }).waitFor();

async function openScreen(name: string, title = name): Promise<void> {
  await coordinator.page.getByRole('navigation', { name: 'Konsolin osat' }).getByRole('link', { name, exact: true }).click();
  await consoleHeading(title);
}

async function noViolations(what: string): Promise<void> {
  expect(await axeViolations(coordinator.page), what).toEqual([]);
}

/** The sessions of a site's row in the dashboard's "by site" table. */
function siteSessions(siteId: string) {
  return coordinator.page.locator(`#by-site tr[data-site="${siteId}"] td[data-figure="sessions"]`).textContent();
}

it.beforeAll(async ({ browser, app }) => {
  const store = app.server.store;
  const organisation = await createOrganisation(store, 'Digitukiverkosto');
  kallio = await createSite(store, organisation.id, 'Kallion kirjasto');
  vallila = await createSite(store, organisation.id, 'Vallilan olohuone');
  // The first coordinator is made as the CLI makes one ("user create"): an account and its one-time set-up link.
  const account = await createConsoleAccount(
    store,
    new ConsoleStore(store.database),
    { orgId: organisation.id, role: 'coordinator', email: EMAIL },
    Date.now(),
  );
  setupLink = `${app.url}/console/#setup=${account.token}`;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fi-FI' });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('console page error:', error.message));
  coordinator = { context, page };
});

afterAll(async () => {
  await coordinator?.context.close();
  await tabletA?.context.close();
  await tabletB?.context.close();
});

describe("the coordinator's console", () => {
  it('sets up the account from the one-time link, logs out, refuses a wrong password and logs in', async ({ app }) => {
    const { page } = coordinator;
    await page.goto(setupLink);
    await consoleHeading('Ota tunnuksesi käyttöön');
    await noViolations('set-up');
    await page.getByLabel('Uusi salasana', { exact: true }).fill('lyhyt');
    await page.getByLabel('Uusi salasana uudestaan').fill('lyhyt');
    await page.getByRole('button', { name: 'Tallenna ja kirjaudu' }).click();
    await page.getByText('Salasana on liian lyhyt.', { exact: false }).waitFor();
    await page.getByLabel('Uusi salasana', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Uusi salasana uudestaan').fill(PASSWORD);
    await page.getByRole('button', { name: 'Tallenna ja kirjaudu' }).click();
    await consoleHeading('Luvut');
    expect(new URL(page.url()).hash).toBe(''); // the used token leaves the address bar

    // The same link again is refused in plain words.
    await page.goto(setupLink);
    await page.getByLabel('Uusi salasana', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Uusi salasana uudestaan').fill(PASSWORD);
    await page.getByRole('button', { name: 'Tallenna ja kirjaudu' }).click();
    await page.getByText('Tämä käyttöönottolinkki on jo käytetty tai vanhentunut.', { exact: false }).waitFor();

    await page.goto(`${app.url}/console/`);
    await consoleHeading('Luvut');
    await page.getByRole('button', { name: 'Kirjaudu ulos' }).click();
    await consoleHeading('Kirjaudu konsoliin');
    await noViolations('login');
    await page.getByLabel('Sähköposti').fill(EMAIL);
    await page.getByLabel('Salasana').fill('väärä salasana tähän');
    await page.getByRole('button', { name: 'Kirjaudu', exact: true }).click();
    await page.getByRole('alert').getByText('Sähköposti tai salasana on väärin.').waitFor();
    await page.getByLabel('Salasana').fill(PASSWORD);
    await page.getByRole('button', { name: 'Kirjaudu', exact: true }).click();
    await consoleHeading('Luvut');
    await noViolations('dashboard, empty');
  });

  it('adds a passkey on this device and logs in with it, no password typed', async () => {
    const { page, context } = coordinator;
    // Chromium's own virtual authenticator stands in for the laptop's fingerprint reader or a security key.
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    await openScreen('Asetukset');
    await page.getByRole('button', { name: 'Lisää pääsyavain tälle laitteelle' }).click();
    await page.getByText('Pääsyavain lisätty. Voit nyt kirjautua sillä.').waitFor();
    expect(await page.getByText('Pääsyavaimia: 1').count()).toBe(1);
    await page.getByRole('button', { name: 'Kirjaudu ulos', exact: true }).click();
    await consoleHeading('Kirjaudu konsoliin');
    await page.getByRole('button', { name: 'Kirjaudu pääsyavaimella' }).click();
    await consoleHeading('Asetukset'); // back where the coordinator was
    await page.getByText('Pääsyavaimia: 1').waitFor();
    expect(await page.locator('.who').textContent()).toBe(EMAIL);
    await cdp.detach();
  });

  // The dashboard counts final logs only; a log's draft may reach the server one sync before its final state.
  const finalLogsOnServer = async (app: AppUnderTest) =>
    (await app.server.store.recordsOfOrganisation(kallio.orgId, 'sessions')).filter((log) => log.fields.status === 'final');

  it('a first tablet joins one site with a code from the command line and logs two sessions', async ({ browser, app }) => {
    tabletA = await freshTablet(browser, app.url);
    const cliCode = await createEnrolmentCode(app.server.store, kallio.id);
    await enrolWithLink(tabletA.page, enrolmentLink(app.url, cliCode.code), 'Tabletti A');
    await goInApp(tabletA.page, '/instructor/sessions');
    await heading(tabletA.page, 'Ohjauskertojen kirjaukset');
    for (const format of ['Päivystys', 'Pop-up']) await writeLog(tabletA.page, format);
    await expect.poll(async () => (await finalLogsOnServer(app)).length, { timeout: 20_000 }).toBe(2);
  });

  it('makes an enrolment code with its QR code in the console, and a real tablet joins the other site with it', async ({ browser, app }) => {
    await openScreen('Toimipaikat');
    const vallilaCard = coordinator.page.locator(`li[data-site="${vallila.id}"]`);
    await vallilaCard.getByRole('button', { name: 'Tee liittymiskoodi' }).click();
    const panel = coordinator.page.locator('section.enrolment');
    await panel.getByRole('heading', { name: 'Liittymiskoodi: Vallilan olohuone' }).waitFor();
    const qr = panel.getByRole('img', { name: 'QR-koodi tabletin liittämiseen toimipaikkaan Vallilan olohuone' });
    await qr.waitFor();
    const code = (await panel.locator('#enrolment-code').textContent())!.trim();
    const link = (await panel.locator('.enrolment-link').textContent())!.trim();
    expect(link).toContain(`#code=${encodeURIComponent(code)}`);
    // The QR code holds exactly the link written under it: decoded from the pixels Chromium drew.
    expect(await decodeQr(coordinator.page, qr)).toBe(link);
    await noViolations('sites with an enrolment code');
    await saveScreenshot(coordinator.page, 'console-enrolment-code');

    // Tablet B opens the link (as the QR code would) and joins Vallila, then logs one session.
    tabletB = await freshTablet(browser, app.url);
    await enrolWithLink(tabletB.page, link.replace(/^https?:\/\/[^/]+/, app.url), 'Tabletti B');
    expect(await tabletB.page.getByText(/Tabletti kuuluu: /).textContent()).toContain('Vallilan olohuone');
    await goInApp(tabletB.page, '/instructor/sessions');
    await heading(tabletB.page, 'Ohjauskertojen kirjaukset');
    await writeLog(tabletB.page, 'Henkilökohtainen');
    await expect.poll(async () => (await finalLogsOnServer(app)).length, { timeout: 20_000 }).toBe(3);
  });

  it('creates a site and renames it', async ({ app }) => {
    await openScreen('Toimipaikat');
    await coordinator.page.getByLabel('Toimipaikan nimi').fill('   ');
    await coordinator.page.getByRole('button', { name: 'Luo toimipaikka' }).click();
    await coordinator.page.getByText('Kirjoita nimi.', { exact: false }).waitFor(); // nothing sent
    await coordinator.page.getByLabel('Toimipaikan nimi').fill('Sörnäisten  olohuone');
    await coordinator.page.getByRole('button', { name: 'Luo toimipaikka' }).click();
    await coordinator.page.getByText('Toimipaikka luotu: Sörnäisten olohuone').waitFor();
    const card = coordinator.page.locator('li.card', { hasText: 'Sörnäisten olohuone' });
    await card.getByRole('button', { name: 'Vaihda nimi' }).click();
    await card.getByLabel('Uusi nimi').fill('Sörnäisten kohtaamispaikka');
    await card.getByRole('button', { name: 'Tallenna nimi' }).click();
    await coordinator.page.getByText('Nimi vaihdettu: Sörnäisten kohtaamispaikka').waitFor();
    await coordinator.page.locator('li.card h2', { hasText: 'Sörnäisten kohtaamispaikka' }).waitFor();
    expect((await app.server.store.listSites(kallio.orgId)).map((site) => site.name).sort()).toEqual([
      'Kallion kirjasto',
      'Sörnäisten kohtaamispaikka',
      'Vallilan olohuone',
    ]);
    await noViolations('sites after a rename');
  });

  it('shows the numbers of the two sites the two tablets synced, per site and in total, as text and charts', async () => {
    await openScreen('Luvut');
    await expect.poll(() => siteSessions(kallio.id)).toBe('2');
    expect(await siteSessions(vallila.id)).toBe('1');
    expect(await coordinator.page.locator('.panel dd[data-figure="sessions"]').textContent()).toBe('3');
    expect(await coordinator.page.locator('.panel dd[data-figure="people"]').textContent()).toBe('3');
    expect(await coordinator.page.locator('#group-topics tr[data-key="security"] td.count').textContent()).toBe('3');
    await noViolations('dashboard with two sites');

    // Every chart is named by its title for a screen reader, and each bar is as long as the count written beside it.
    const chartIds = await coordinator.page
      .locator('main .chart')
      .evaluateAll((charts) => charts.map((chart) => chart.id || chart.querySelector('table')?.id || ''));
    expect(chartIds).toEqual(['by-month', 'people-by-month', ...SHOWN_GROUPS.map((group) => `group-${group}`)]);
    for (const id of chartIds) {
      if ((await coordinator.page.locator(`#${id}`).evaluate((element) => element.tagName)) === 'SECTION') {
        // Nothing to chart in the range: a section named by its title says so.
        const title = (await coordinator.page.locator(`#${id} h3`).textContent())!;
        expect(await coordinator.page.getByRole('region', { name: title, exact: true }).getAttribute('id'), id).toBe(id);
        continue;
      }
      const chart = await readChart(coordinator.page, id);
      expect(chart.caption, id).not.toBe('');
      expect(await coordinator.page.getByRole('table', { name: chart.caption, exact: true }).getAttribute('id'), id).toBe(id);
      const counts = chart.rows.map((row) => shownNumber(row.cells.at(-1)!));
      const longest = Math.max(1, ...counts);
      for (const [index, row] of chart.rows.entries()) {
        expect(row.bar, `${id} ${row.key}`).toBeCloseTo((counts[index]! / longest) * 100, 5);
        expect(Math.abs(row.barPx - (row.bar / 100) * row.trackPx), `${id} ${row.key} as drawn`).toBeLessThan(1.5);
      }
    }
    // …and the charts' numbers are the figures written as text: the totals and the table by site.
    const figure = async (name: string) => shownNumber(await coordinator.page.locator(`.panel dd[data-figure="${name}"]`).textContent());
    const sum = (chart: Awaited<ReturnType<typeof readChart>>, column: number) => chart.rows.reduce((total, row) => total + shownNumber(row.cells[column]!), 0);
    const siteSessionsByName = new Map(
      await coordinator.page
        .locator('#by-site tbody tr')
        .evaluateAll(
          (rows) =>
            rows.map((row) => [row.querySelector('th')!.textContent!.trim(), row.querySelector('td[data-figure="sessions"]')!.textContent!]) as [
              string,
              string,
            ][],
        ),
    );
    const monthLabel = (month: string) =>
      new Intl.DateTimeFormat('fi-FI', { timeZone: 'UTC', year: 'numeric', month: 'long' }).format(new Date(`${month}-15T00:00:00Z`));
    const byMonth = await readChart(coordinator.page, 'by-month');
    expect(byMonth.caption).toBe('Ohjauskerrat kuukausittain');
    const siteColumns = byMonth.headers.slice(1, -1);
    expect([...siteColumns].sort()).toEqual(['Kallion kirjasto', 'Sörnäisten kohtaamispaikka', 'Vallilan olohuone']);
    for (const [column, site] of siteColumns.entries()) expect(sum(byMonth, column), site).toBe(shownNumber(siteSessionsByName.get(site)!));
    expect(sum(byMonth, siteColumns.length)).toBe(await figure('sessions'));
    for (const row of byMonth.rows) {
      expect(row.label).toBe(monthLabel(row.key));
      expect(
        row.cells.slice(0, -1).reduce((total, cell) => total + shownNumber(cell), 0),
        row.key,
      ).toBe(shownNumber(row.cells.at(-1)!));
    }
    const people = await readChart(coordinator.page, 'people-by-month');
    expect(people.headers).toEqual(['Kuukausi', 'Uudet', 'Palaavat', 'Autetut ihmiset']);
    expect([sum(people, 0), sum(people, 1), sum(people, 2)]).toEqual([await figure('new'), await figure('returning'), await figure('people')]);
    const topics = await readChart(coordinator.page, 'group-topics');
    expect(topics.caption).toBe('Aiheet (ohjauskertoja)');
    expect(topics.rows.find((row) => row.key === 'security')).toMatchObject({ label: 'Tietoturva', cells: ['3'] });
    expect(sum(await readChart(coordinator.page, 'group-formats'), 0)).toBe(await figure('sessions')); // one format a session
    expect((await readChart(coordinator.page, 'group-newReturning')).rows.find((row) => row.key === 'new')?.cells).toEqual([String(await figure('new'))]);
    await saveScreenshot(coordinator.page, 'console-dashboard');

    // Only Vallila.
    await coordinator.page.getByLabel('Toimipaikka').selectOption(vallila.id);
    await coordinator.page.getByRole('button', { name: 'Näytä' }).click();
    await expect.poll(() => coordinator.page.locator('.panel dd[data-figure="sessions"]').textContent()).toBe('1');
    expect(await coordinator.page.locator(`#by-site tr[data-site="${kallio.id}"]`).count()).toBe(0);
    // The CSV download asks for the same numbers.
    const csvHref = await coordinator.page.getByRole('link', { name: 'Lataa luvut (CSV)' }).getAttribute('href');
    expect(csvHref).toContain(`site=${vallila.id}`);
    const csv = await coordinator.page.evaluate(async (href) => {
      const response = await fetch(href!);
      return { status: response.status, type: response.headers.get('content-type'), bytes: [...new Uint8Array(await response.arrayBuffer()).slice(0, 3)] };
    }, csvHref);
    expect(csv.status).toBe(200);
    expect(csv.type).toContain('text/csv');
    expect(csv.bytes).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs
  });

  it('prints the funder summary with the small counts of people hidden', async () => {
    await openScreen('Rahoittajan yhteenveto');
    await coordinator.page.getByRole('heading', { name: 'Digitukiverkosto: yhteenveto' }).waitFor();
    await noViolations('funder summary');
    await saveScreenshot(coordinator.page, 'console-funder-summary');
    // On paper: the summary alone, without the console's menus and buttons; 3 people helped is a small count, hidden.
    await coordinator.page.emulateMedia({ media: 'print' });
    try {
      await coordinator.page.getByRole('heading', { level: 1, name: 'Rahoittajan yhteenveto' }).waitFor(); // the paper's title
      expect(await coordinator.page.locator('.console-nav').isVisible()).toBe(false);
      expect(await coordinator.page.getByRole('button', { name: 'Tulosta' }).isVisible()).toBe(false);
      expect(await coordinator.page.locator('article.printable').isVisible()).toBe(true);
      expect(await coordinator.page.locator('article.printable > .figures').textContent()).toContain('piilotettu');
      await noViolations('funder summary on paper');
    } finally {
      await coordinator.page.emulateMedia({ media: 'screen' });
    }
  });

  it("shows the console's error screen when a screen cannot read the server's answer, and the screen again on retry", async () => {
    // A server of another version (or a proxy) answers 200 with JSON the dashboard cannot read: the screen fails.
    const dashboardApi = (url: URL) => url.pathname === '/console/api/dashboard';
    await coordinator.page.route(dashboardApi, (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ from: '2026-01', to: '2026-12', months: [], sites: [] }) }),
    );
    try {
      await coordinator.page.getByRole('navigation', { name: 'Konsolin osat' }).getByRole('link', { name: 'Luvut', exact: true }).click();
      await consoleHeading('Jokin meni vikaan');
      await coordinator.page.getByRole('alert').getByText('Tätä näkymää ei voitu näyttää.', { exact: false }).waitFor();
      await noViolations('error screen');
    } finally {
      await coordinator.page.unroute(dashboardApi);
    }
    await coordinator.page.getByRole('button', { name: 'Yritä uudelleen' }).click();
    await consoleHeading('Luvut');
    await expect.poll(() => coordinator.page.locator('.panel dd[data-figure="sessions"]').textContent()).toBe('3');
  });

  it('lists a guide a tablet made with the tablet that changed it, previews it, hides it, and the tablet loses it', async ({ app }) => {
    await goInApp(tabletA.page, '/instructor/guides/new');
    await heading(tabletA.page, 'Uusi ohje');
    await tabletA.page.getByLabel('Otsikko').fill(GUIDE);
    await tabletA.page.getByLabel('Yhteenveto yhdellä lyhyellä lauseella').fill('Tulosta paperi kirjaston koneella');
    await tabletA.page.getByRole('button', { name: 'Lisää vaihe' }).click();
    await tabletA.page.locator('.editor-steps > li').first().getByLabel('Mitä tehdään').fill('Paina vihreää nappia.');
    // A second step, a tip: the participant's viewer marks it with an icon and the word "Vinkki".
    await tabletA.page.getByRole('button', { name: 'Lisää vaihe' }).click();
    const tipStep = tabletA.page.locator('.editor-steps > li').nth(1);
    // The choice is shown once saved (the editor reads the step back), so the click is followed by the saved state.
    await tipStep.getByLabel('Vinkki', { exact: true }).click();
    await expect.poll(() => tipStep.getByLabel('Vinkki', { exact: true }).isChecked()).toBe(true);
    await tipStep.getByLabel('Mitä tehdään').fill(TIP);
    await tabletA.page.getByText('Kaikki muutokset on tallennettu tähän tablettiin.').waitFor();
    await syncNow(tabletA.page);
    await tabletA.page.getByText('Kaikki muutokset on lähetetty.').waitFor({ timeout: 20_000 });
    // A participant on the tablet finds it in the library.
    await tabletA.page.goto(app.url);
    await tabletA.page.getByLabel('Hae ohjetta').fill('tulostin');
    await tabletA.page.getByRole('link', { name: new RegExp(GUIDE) }).click();
    await tabletA.page.getByRole('button', { name: 'Seuraava' }).click();
    await tabletA.page.locator('.step-text', { hasText: TIP }).waitFor();
    const tabletTipMark = (await tabletA.page.locator('.step .step-kind').textContent())!.trim();
    expect(tabletTipMark).toBe('Vinkki');

    await openScreen('Omat ohjeet');
    const row = coordinator.page.locator('#guides tbody tr', { hasText: GUIDE });
    await row.waitFor();
    // Which tablet changed it: the tablet's name as enrolled, never a person (the instructor's nickname on it is "Ohjaaja").
    expect(await row.locator('td').nth(2).textContent()).toBe('Tabletti A');
    await noViolations('guides');
    await row.getByRole('link', { name: GUIDE }).click();
    await consoleHeading(`Ohje: ${GUIDE}`);
    const preview = coordinator.page.locator('.participant-view');
    await preview.getByText('Paina vihreää nappia.').waitFor();
    await coordinator.page.getByText(/tabletilla Tabletti A\.$/).waitFor();
    expect(await preview.locator('.step-kind').count()).toBe(0); // a plain step is not marked
    await noViolations('guide preview');
    // The tip, second as on the tablet, marked as the tablet's viewer marks it.
    await coordinator.page.getByRole('button', { name: 'Seuraava' }).click();
    await preview.locator('.step-text', { hasText: TIP }).waitFor();
    expect(await preview.locator('.step-of').textContent()).toBe('Vaihe 2 / 2');
    const mark = preview.locator('.step-kind');
    expect(await mark.getAttribute('data-kind')).toBe('tip');
    expect((await mark.textContent())!.trim()).toBe(tabletTipMark);
    expect(await mark.locator('svg').count()).toBe(1);
    await noViolations('guide preview, a tip step');
    await saveScreenshot(coordinator.page, 'console-guide-preview');
    // The preview on a tablet held upright and at the largest text: nothing scrolls sideways.
    const viewport = coordinator.page.viewportSize()!;
    await coordinator.page.setViewportSize({ width: 768, height: 1024 });
    await saveScreenshot(coordinator.page, 'console-guide-preview-768x1024');
    await coordinator.page.evaluate(() => (document.documentElement.style.fontSize = '200%'));
    expect(await coordinator.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    await preview.scrollIntoViewIfNeeded();
    await saveScreenshot(coordinator.page, 'console-guide-preview-large-text');
    await coordinator.page.evaluate(() => (document.documentElement.style.fontSize = ''));
    await coordinator.page.setViewportSize(viewport);
    await coordinator.page.getByRole('button', { name: 'Piilota kaikilta tableteilta' }).click();
    await noViolations('hide confirmation');
    await coordinator.page.getByRole('button', { name: 'Piilota ohje' }).click();
    await coordinator.page.getByText('Tämä ohje on piilotettu kaikilta tableteilta.').waitFor();

    // At the tablet's next sync the guide is gone from its library.
    await tabletA.page.goto(`${app.url}/instructor`);
    await unlock(tabletA.page, PIN);
    await syncNow(tabletA.page);
    await tabletA.page.getByText('Kaikki muutokset on lähetetty.').waitFor({ timeout: 20_000 });
    await tabletA.page.goto(app.url);
    await tabletA.page.getByLabel('Hae ohjetta').fill('tulostin');
    await expect.poll(() => tabletA.page.getByRole('link', { name: new RegExp(GUIDE) }).count(), { timeout: 15_000 }).toBe(0);
  });

  it('revokes a tablet after its name is typed, and the tablet says it was removed at its next sync', async () => {
    await openScreen('Tabletit');
    // What the tablets said of themselves with their last sync: the app's version and how much was waiting.
    const cardA = coordinator.page.locator('li.card', { hasText: 'Tabletti A' });
    expect(await cardA.locator('.facts > div', { hasText: 'Sovelluksen versio' }).locator('dd').textContent()).toMatch(/^\d+\.\d+\.\d+/);
    expect(await cardA.locator('.facts > div', { hasText: 'Lähettämättä' }).locator('dd').textContent()).toMatch(/^0 muutosta/);
    const card = coordinator.page.locator('li.card', { hasText: 'Tabletti B' });
    await card.getByRole('button', { name: 'Poista käytöstä' }).click();
    await card.getByRole('heading', { name: 'Poistetaanko Tabletti B käytöstä?' }).waitFor();
    await noViolations('revoke confirmation');
    await saveScreenshot(coordinator.page, 'console-revoke');
    await card.getByLabel('Vahvista kirjoittamalla tabletin nimi: Tabletti B').fill('Tabletti A');
    await card.getByRole('button', { name: 'Poista Tabletti B käytöstä' }).click();
    await card.getByText('Nimi ei täsmää. Kirjoita Tabletti B.').waitFor();
    await card.getByLabel('Vahvista kirjoittamalla tabletin nimi: Tabletti B').fill('Tabletti B');
    await card.getByRole('button', { name: 'Poista Tabletti B käytöstä' }).click();
    await coordinator.page.getByText('Tabletti Tabletti B poistettu käytöstä.', { exact: false }).waitFor();
    await expect
      .poll(() => coordinator.page.locator('li.card', { hasText: 'Tabletti B' }).locator('dd[data-state]').getAttribute('data-state'))
      .toBe('revoked');
    await noViolations('tablets');

    await syncNow(tabletB.page);
    await tabletB.page.getByText('Tämä tabletti on poistettu palvelimelta.', { exact: false }).waitFor({ timeout: 20_000 });
  });

  it('shows users, settings and the audit log with no accessibility problem, and switches language', async () => {
    await openScreen('Käyttäjät');
    await coordinator.page.getByLabel('Sähköposti').fill('toimipaikka@esimerkki.fi');
    await coordinator.page.getByText('Toimipaikan ylläpitäjä', { exact: false }).click();
    await coordinator.page.getByLabel('Toimipaikka').selectOption(kallio.id);
    await coordinator.page.getByRole('button', { name: 'Luo käyttäjä' }).click();
    const created = coordinator.page.locator('code.setup-link');
    await created.waitFor();
    expect(await created.textContent()).toMatch(/\/console\/#setup=\S+$/);
    siteAdminLink = (await created.textContent())!.trim();
    await noViolations('users with a set-up link');

    await openScreen('Asetukset');
    await coordinator.page.getByRole('heading', { name: 'Oma tunnus' }).waitFor();
    await noViolations('settings and own account');
    // Retention: the coordinator keeps logs and feedback for 24 months; the server keeps the choice after a reload.
    await coordinator.page.getByLabel('Säilytä').selectOption('24');
    await coordinator.page.getByRole('button', { name: 'Tallenna', exact: true }).click();
    await coordinator.page.getByText('Tallennettu.').waitFor();
    await coordinator.page.reload();
    await coordinator.page.getByRole('heading', { name: 'Oma tunnus' }).waitFor();
    await expect.poll(() => coordinator.page.getByLabel('Säilytä').inputValue()).toBe('24');

    await openScreen('Tapahtumaloki');
    for (const action of [
      'login',
      'passkey_added',
      'tablet_revoked',
      'guide_hidden',
      'enrolment_code_created',
      'user_created',
      'dashboard_exported',
      'settings_changed',
    ]) {
      await coordinator.page.locator(`#audit tr[data-action="${action}"]`).first().waitFor();
    }
    await noViolations('audit log');
    // The export: the whole log as a CSV file with the BOM Excel needs.
    const auditHref = await coordinator.page.getByRole('link', { name: 'Lataa loki (CSV)' }).getAttribute('href');
    const auditCsv = await coordinator.page.evaluate(async (href) => {
      const response = await fetch(href!);
      const bytes = new Uint8Array(await response.arrayBuffer());
      return { status: response.status, bom: [...bytes.slice(0, 3)], text: new TextDecoder().decode(bytes) };
    }, auditHref);
    expect(auditCsv.status).toBe(200);
    expect(auditCsv.bom).toEqual([0xef, 0xbb, 0xbf]);
    expect(auditCsv.text).toContain(EMAIL);

    await coordinator.page.getByRole('button', { name: 'Svenska' }).click();
    await consoleHeading('Händelselogg');
    expect(await coordinator.page.evaluate(() => document.documentElement.lang)).toBe('sv');
    await noViolations('audit log in Swedish');
    await coordinator.page.getByRole('button', { name: 'English' }).click();
    await coordinator.page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await coordinator.page.getByRole('navigation', { name: 'Parts of the console' }).getByRole('link', { name: 'Numbers', exact: true }).click();
    await coordinator.page.getByRole('heading', { level: 1, name: 'Numbers' }).waitFor();
    await expect.poll(() => siteSessions(kallio.id)).toBe('2');
    await coordinator.page.getByRole('table', { name: 'Sessions by month', exact: true }).waitFor();
    expect(await coordinator.page.evaluate(() => document.documentElement.lang)).toBe('en');
    await noViolations('dashboard in English');
    await coordinator.page.getByRole('button', { name: 'Suomi' }).click();
    await consoleHeading('Luvut');
  });

  it("gives a site admin, set up from the coordinator's link, only its own site and no accounts or audit log", async ({ browser, app }) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fi-FI' });
    try {
      const page = await context.newPage();
      await page.goto(siteAdminLink.replace(/^https?:\/\/[^/]+/, app.url));
      await page.getByRole('heading', { level: 1, name: 'Ota tunnuksesi käyttöön' }).waitFor();
      await page.getByLabel('Uusi salasana', { exact: true }).fill(PASSWORD);
      await page.getByLabel('Uusi salasana uudestaan').fill(PASSWORD);
      await page.getByRole('button', { name: 'Tallenna ja kirjaudu' }).click();
      await page.getByRole('heading', { level: 1, name: 'Luvut' }).waitFor();
      const nav = page.getByRole('navigation', { name: 'Konsolin osat' });
      expect(await nav.getByRole('link').allTextContents()).toEqual(['Luvut', 'Rahoittajan yhteenveto', 'Toimipaikat', 'Tabletit', 'Omat ohjeet', 'Asetukset']);
      await expect.poll(() => page.locator('#by-site tbody tr').count()).toBe(1);
      expect(await page.locator(`#by-site tr[data-site="${kallio.id}"] td[data-figure="sessions"]`).textContent()).toBe('2');
      expect(await page.getByLabel('Toimipaikka').count()).toBe(0); // no site to choose
      expect(await axeViolations(page), 'site admin dashboard').toEqual([]);
      await nav.getByRole('link', { name: 'Toimipaikat' }).click();
      await page.getByRole('heading', { level: 1, name: 'Toimipaikat' }).waitFor();
      await expect.poll(() => page.locator('li.card h2').allTextContents()).toEqual(['Kallion kirjasto']);
      expect(await page.getByRole('button', { name: 'Vaihda nimi' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Luo toimipaikka' }).count()).toBe(0);
      expect(await axeViolations(page), 'site admin sites').toEqual([]);
      await nav.getByRole('link', { name: 'Tabletit' }).click();
      await page.getByRole('heading', { level: 1, name: 'Tabletit' }).waitFor();
      await expect.poll(() => page.locator('li.card h2').allTextContents()).toEqual(['Tabletti A']);
      expect(await axeViolations(page), 'site admin tablets').toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('works at large text: no sideways scrolling, every control at least 48 px', async () => {
    await coordinator.page.setViewportSize({ width: 1024, height: 768 });
    for (const [name, title] of [
      ['Luvut', 'Luvut'],
      ['Tabletit', 'Tabletit'],
      ['Toimipaikat', 'Toimipaikat'],
    ] as const) {
      await openScreen(name, title);
      await coordinator.page.evaluate(() => (document.documentElement.style.fontSize = '200%'));
      await coordinator.page.locator('main button, main a.button').first().waitFor();
      const layout = await coordinator.page.evaluate(() => ({
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        small: [...document.querySelectorAll<HTMLElement>('button, a.button, .console-nav a, input, select')]
          .filter((element) => element.offsetParent !== null)
          .map((element) => ({ text: element.textContent?.trim() || element.id, rect: element.getBoundingClientRect() }))
          .filter(({ rect }) => rect.height < 48 || rect.width < 48)
          .map(({ text }) => text),
      }));
      expect(layout, name).toEqual({ overflow: 0, small: [] });
      await coordinator.page.evaluate(() => (document.documentElement.style.fontSize = ''));
    }
  });

  it('is never loaded by the tablet app: no console address asked for, none in the precache list', () => {
    const asked = [...tabletA.requests, ...tabletB.requests];
    expect(asked.length).toBeGreaterThan(20);
    expect(asked.filter((address) => new URL(address).pathname.startsWith('/console'))).toEqual([]);
    const precached = precacheUrls(readFileSync(join(BUILD_A, 'sw.js'), 'utf8'));
    expect(precached).toContain('index.html');
    expect(precached.filter((address) => address.startsWith('console') || address.includes('/console'))).toEqual([]);
    // …while the console was built beside the app.
    expect(readFileSync(join(BUILD_A, 'console', 'index.html'), 'utf8')).toContain('/console/assets/');
  });

  it("is never answered by the tablet app's service worker: a browser that has the app installed still gets the console", async ({ browser, app }) => {
    const { context, page } = await newTablet(browser);
    try {
      await page.goto(app.url);
      await waitForServiceWorker(page);
      await page.goto(`${app.url}/console/tablets`);
      await page.getByRole('heading', { level: 1, name: 'Kirjaudu konsoliin' }).waitFor();
      expect(await page.title()).toBe('Digituki');
      expect(await page.locator('#console').count()).toBe(1); // the console's page, not the tablet's shell (#app)
      expect(await page.locator('#app').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
