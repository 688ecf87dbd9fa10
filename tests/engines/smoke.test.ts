// The smoke path in every engine the tablets run (Firefox ESR = Gecko, WebKitGTK = Safari's engine), written once over
// the driver-neutral harness: first screen and service worker, a guide step by step (buttons, keys, swipe), search,
// language, feedback, PIN setup, enrolment, a session log written offline that survives a reload and reaches the real
// server, the "Valmis" bar never over a control, month fields typed as a Finn types them, what this browser lacks,
// and an offline start from the cache. Each test fails on any page error, and saves a screenshot when it fails.
import { expect, it } from 'vitest';
import { builtinGuides } from '../../src/guides/content';
import { describeEachEngine } from './support/engines';
import { button, field, link, radio, text, type Tablet } from './support/tablet';
import { engineWorld } from './support/world';

const PIN = '482916';
const celia = builtinGuides.find((guide) => guide.slug === 'celia-aanikirjat')!;

/** Rows of one table of the app's database, read with plain IndexedDB inside the page (no app code involved). */
function readTable<T>(tablet: Tablet, table: string): Promise<T[]> {
  return tablet.evaluate<T[]>(`new Promise((resolve, reject) => {
    const request = indexedDB.open('digituki');
    request.onsuccess = () => {
      const read = request.result.transaction(${JSON.stringify(table)}).objectStore(${JSON.stringify(table)}).getAll();
      read.onsuccess = () => { request.result.close(); resolve(read.result); };
      read.onerror = () => reject(read.error);
    };
    request.onerror = () => reject(request.error);
  })`);
}

async function stepShows(tablet: Tablet, number: number): Promise<void> {
  await tablet.see(text(`Vaihe ${number} / ${celia.steps.length}`));
  expect(await tablet.evaluate('document.querySelector(".step-text").textContent')).toBe(celia.steps[number - 1]!.text.fi);
}

async function unlock(tablet: Tablet): Promise<void> {
  await tablet.seeTitle('Ohjaajan PIN-koodi');
  await tablet.fill(field('PIN-koodi'), PIN); // tried on its last digit: no "Avaa" tap
}

/** The month as a Finn writes it in each of the ways the month fields accept. */
function typedForms(date: Date): string[] {
  const month = date.getMonth() + 1;
  const year = date.getFullYear();
  const fi = new Intl.DateTimeFormat('fi', { month: 'long' }).format(date).replace(/ta$/, ''); // "joulukuuta" → "joulukuu"
  const sv = new Intl.DateTimeFormat('sv', { month: 'long' }).format(date);
  const en = new Intl.DateTimeFormat('en', { month: 'long' }).format(date);
  return [`${month}/${year}`, `${month}.${year}`, `${fi} ${year}`, `${year}-${String(month).padStart(2, '0')}`, `${sv} ${year}`, `${en} ${year}`];
}

describeEachEngine('smoke path', (engine) => {
  const world = engineWorld(engine);

  it('opens the first screen in Finnish, and the service worker takes control', async () => {
    const { tablet, server } = world;
    await tablet.goto(server.url);
    await tablet.seeTitle('Mitä haluat oppia?');
    expect(await tablet.evaluate('document.documentElement.lang')).toBe('fi');
    await tablet.waitUntil('the service worker to control the page', 'navigator.serviceWorker.controller !== null');
  });

  it('finds a guide by searching and walks it with the buttons, a swipe and the arrow key', async () => {
    const { tablet } = world;
    await tablet.fill(field('Hae ohjetta'), 'aanikirja');
    await tablet.tap(link(new RegExp(celia.title.fi)));
    await stepShows(tablet, 1);
    await tablet.tap(button('Seuraava'));
    await stepShows(tablet, 2);
    await tablet.swipe({ role: 'text', name: celia.steps[1]!.text.fi }, -240);
    await stepShows(tablet, 3);
    await tablet.swipe({ role: 'text', name: celia.steps[2]!.text.fi }, 240); // the other way goes back
    await stepShows(tablet, 2);
    await tablet.press('ArrowRight');
    await stepShows(tablet, 3);
    await tablet.tap(button('Edellinen'));
    await stepShows(tablet, 2);
    expect(await tablet.path()).toBe(`/guides/${celia.slug}/2`);
    await tablet.tap(link('Digituki'));
    await tablet.seeTitle('Mitä haluat oppia?');
  });

  it('switches the language to Swedish and back', async () => {
    const { tablet } = world;
    await tablet.tap(link('Asetukset'));
    await tablet.seeTitle('Asetukset');
    await tablet.tap(radio('Svenska'));
    await tablet.seeTitle('Inställningar');
    expect(await tablet.evaluate('document.documentElement.lang')).toBe('sv');
    await tablet.tap(radio('Suomi'));
    await tablet.seeTitle('Asetukset');
    expect(await tablet.evaluate('document.documentElement.lang')).toBe('fi');
  });

  it("takes a participant's feedback and stores it once", async () => {
    const { tablet } = world;
    await tablet.tap(link('Digituki'));
    await tablet.tap(link('Anna palautetta'));
    await tablet.seeTitle('Miltä tänään tuntui?');
    await tablet.tap(text('Tosi hyvä'));
    await tablet.tap(button('Seuraava'));
    await tablet.seeTitle('Mitä sait tänään?');
    await tablet.tap(text('Yhteydenpito'));
    await tablet.tap(button('Seuraava'));
    await tablet.seeTitle('Mitä haluaisit tehdä ensi kerralla?');
    await tablet.tap(button('Seuraava'));
    await tablet.seeTitle('Mitä muuta haluaisit oppia?');
    await tablet.tap(button('Lähetä'));
    await tablet.seeTitle('Kiitos!');
    const feedback = await readTable<{ answers: Record<string, unknown> }>(tablet, 'feedback');
    expect(feedback).toHaveLength(1);
  });

  it("sets up the first instructor profile with a PIN and enrols the tablet with the server's code", async () => {
    const { tablet, server } = world;
    await tablet.goto(`${server.url}/instructor`);
    await tablet.seeTitle('Ota ohjaajan tila käyttöön');
    await tablet.fill(field('Nimimerkki'), 'Ohjaaja Testi');
    await tablet.fill(field('PIN-koodi, vähintään 6 numeroa'), PIN);
    await tablet.fill(field('Sama PIN-koodi uudelleen'), PIN);
    await tablet.tap(button('Luo profiili'));
    await tablet.seeTitle('Ohjaajan tila');

    await tablet.goto(`${server.url}/enrol?code=${encodeURIComponent(server.code)}`);
    await unlock(tablet);
    await tablet.seeTitle('Synkronointi');
    await tablet.fill(field('Tabletin nimi'), `${engine.name}-tabletti`);
    await tablet.tap(button('Liitä tabletti'));
    await tablet.see(text(/^Tabletti kuuluu: /));
  });

  it('writes a session log offline that survives a reload, and syncs it to the server once online', async () => {
    const { tablet, server } = world;
    await world.offline();
    await tablet.tap(link('Takaisin'));
    await tablet.seeTitle('Ohjaajan tila');
    await tablet.tap(link('Uusi kirjaus'));
    await tablet.seeTitle('Uusi ohjauskerta');
    await tablet.tap(text('Päivystys'));
    await tablet.tap(button('Lisää yksi: Osallistujat, Uusia'));
    await tablet.tap(text('Tietoturva'));
    await tablet.waitUntil('the log to have its own address', `/^\\/instructor\\/sessions\\/[0-9a-f-]{36}$/.test(location.pathname)`);

    await tablet.reload(); // offline: the service worker answers, and the draft is still there
    await unlock(tablet);
    await tablet.seeTitle('Ohjauskerta');
    await tablet.waitUntil('the draft to show its format', `document.querySelector('input[name=format][value=walk-in]')?.checked === true`);
    expect(await tablet.evaluate(`document.querySelector('input[name=topics][value=security]').checked`)).toBe(true);
    await tablet.tap(button('Valmis'));
    await tablet.seeTitle('Ohjauskertojen kirjaukset');
    await tablet.see(text('Ei vielä synkronoitu'));
    const store = await server.store();
    const [organisation] = await store.listOrganisations();
    expect(await store.recordsOfOrganisation(organisation!.id, 'sessions')).toHaveLength(0);

    await world.online();
    await tablet.goInApp('/instructor');
    await tablet.seeTitle('Ohjaajan tila');
    await tablet.tap(link('Synkronointi'));
    await tablet.seeTitle('Synkronointi');
    await tablet.tap(button('Synkronoi nyt'));
    await tablet.see(text('Kaikki muutokset on lähetetty.'));
    const onServer = await store.recordsOfOrganisation(organisation!.id, 'sessions');
    expect(onServer).toHaveLength(1);
    const [stored] = await readTable<{ id: string }>(tablet, 'sessions');
    expect(onServer[0]!.id).toBe(stored!.id);
  });

  it('never lets the "Valmis" bar cover a control the test scrolls to or the keyboard focuses', async () => {
    const { tablet } = world;
    await tablet.goInApp('/instructor/sessions');
    await tablet.tap(link(/Päivystys/));
    await tablet.seeTitle('Ohjauskerta');
    await tablet.see(button('Valmis'));
    // "Muut roolit" and "Lisätiedot" opened, as an instructor would to reach what they hold.
    await tablet.evaluate("(document.querySelectorAll('.log-form details').forEach((group) => { group.open = true; }), true)");
    // Every control of the form, scrolled to from the top as little as needed (what a browser does for a found or
    // focused control): none may end up under the bar, and a tap at its centre must reach it.
    const { checked, covered } = await tablet.coveredWhenScrolledTo(
      '.log-form :is(input, button, textarea, select, a[href]):not(.log-actions *)',
      '.log-actions',
    );
    expect(checked).toBeGreaterThan(40);
    expect(covered, 'controls under the "Valmis" bar').toEqual([]);

    // The same with the keyboard: Tab through the form from the top; no focused control is under the bar.
    await tablet.scrollToTop();
    await tablet.evaluate("(document.querySelector('.log-form input').focus(), true)"); // the form's first control, at its top
    const underBar: string[] = [];
    let visited = 0;
    for (let presses = 0; presses < 200; presses += 1) {
      await tablet.press('Tab');
      const place = await tablet.focusedPlacement('.log-actions', '.log-form');
      if (!place || place.inCover) break; // reached the bar's own button, or left the form
      visited += 1;
      if (place.overlapped || !place.inView) underBar.push(place.name);
    }
    console.log(`engines: ${engine.name} tabbed through ${visited} controls of the log form`);
    expect(visited).toBeGreaterThan(10);
    expect(underBar, 'focused controls under the "Valmis" bar').toEqual([]);
  });

  it('reads the report month however a Finn types it, and says so when it cannot', async () => {
    const { tablet } = world;
    const now = new Date();
    const thisMonth = monthName(now);
    await tablet.goInApp('/instructor/reports');
    await tablet.seeTitle('Raportit');
    for (const typed of typedForms(now)) {
      await typeMonth(tablet, typed);
      await tablet.see(text(`Näytetään: ${thisMonth}`));
      await tablet.waitUntil(`one session in the report for "${typed}"`, `document.querySelector('[data-total=sessions] .number')?.textContent === '1'`);
    }
    // The forms from the issue, literally: read as November 2026 (with or without logs, never an empty page).
    const logsInNovember = now.getFullYear() === 2026 && now.getMonth() === 10 ? '1' : '0';
    for (const typed of ['11/2026', '11.2026', 'marraskuu 2026', '2026-11', 'november 2026', 'November 2026']) {
      await typeMonth(tablet, typed);
      await tablet.see(text('Näytetään: marraskuu 2026'));
      await tablet.waitUntil(
        `the report of November 2026 for "${typed}"`,
        `document.querySelector('[data-total=sessions] .number')?.textContent === '${logsInNovember}'`,
      );
    }
    if (logsInNovember === '0') await tablet.see(text('Tällä jaksolla ei ole mitään.'));
    for (const typed of ['13/2026', 'ensi kuussa']) {
      await typeMonth(tablet, typed);
      await tablet.see({ role: 'alert', name: new RegExp(`^Kuukautta ei voitu lukea: ${typed}\\.`) });
      expect(await tablet.countCss('[data-total]'), `no report for "${typed}"`).toBe(0);
    }
  });

  it('filters the session list by a typed month, and says so when it cannot read it', async () => {
    const { tablet } = world;
    const now = new Date();
    await tablet.goInApp('/instructor/sessions');
    await tablet.seeTitle('Ohjauskertojen kirjaukset');
    for (const typed of typedForms(now)) {
      await typeMonth(tablet, typed);
      await tablet.see(text(`Näytetään: ${monthName(now)}`));
      await tablet.seeCount(link(/Päivystys/), 1);
    }
    const yearAgo = `${now.getMonth() + 1}/${now.getFullYear() - 1}`;
    await typeMonth(tablet, yearAgo);
    await tablet.see(text('Ei kirjauksia näillä rajauksilla.'));
    await typeMonth(tablet, 'viime kuussa');
    await tablet.see({ role: 'alert', name: /^Kuukautta ei voitu lukea: viime kuussa\./ });
    expect(await tablet.count(text('Ei kirjauksia näillä rajauksilla.'))).toBe(0);
    await typeMonth(tablet, '');
    await tablet.seeCount(link(/Päivystys/), 1);
  });

  it('tells the instructor in tablet settings what this browser does not offer', async () => {
    const { tablet } = world;
    await tablet.goInApp('/instructor/tablet');
    await tablet.seeTitle('Tämä tabletti');
    await tablet.see({ role: 'heading', name: 'Tämä selain' });
    const offers = await tablet.evaluate<{ persisted: boolean; locks: boolean; backgroundSync: boolean }>(
      `(async () => ({
        persisted: Boolean(await navigator.storage?.persisted?.().catch(() => false)),
        locks: 'locks' in navigator,
        backgroundSync: 'SyncManager' in window,
      }))()`,
    );
    console.log(`engines: ${engine.name} offers ${JSON.stringify(offers)}`);
    const notes = await tablet.evaluate<string[]>(`[...document.querySelectorAll('.browser-limits li')].map((li) => li.textContent)`);
    const expected = [
      !offers.persisted && 'Tämä selain voi poistaa tiedot, jos sovellusta ei ole lisätty kotivalikkoon. Lisää se kotivalikkoon ja synkronoi usein.',
      !offers.locks && 'Tämä selain ei osaa vuorotella välilehtiä. Pidä sovellus auki vain yhdessä välilehdessä.',
      !offers.backgroundSync && 'Tämä selain ei synkronoi taustalla. Muutokset lähtevät, kun sovellus on auki ja verkossa.',
    ].filter(Boolean);
    expect(notes).toEqual(expected);
  });

  it('starts from the cache with no network, also from a deep link', async () => {
    const { tablet, server } = world;
    await world.offline();
    await tablet.goto(server.url);
    await tablet.seeTitle('Mitä haluat oppia?');
    await tablet.see(link(new RegExp(celia.title.fi))); // the guides come from the cached database code
    if (world.browserOffline) await tablet.see(text('Ei verkkoa')); // WebKit's "offline" is a stopped server
    // The start-up's lazy imports (the sync code of an enrolled tablet) and the pictures must not be cut short by the
    // next navigation: Firefox reports each cut load as a page error, as CI saw under load.
    await tablet.settled();
    await tablet.goto(`${server.url}/settings`);
    await tablet.seeTitle('Asetukset');
    await world.online();
  });

  it('fails a test on a page error: the collector catches uncaught errors and rejections', async () => {
    const { tablet } = world;
    if (engine.name === 'WebKit') {
      // The collector is the page's first script, so it is there before any of the app's code runs.
      expect(await tablet.evaluate(`document.scripts[0].src.endsWith('/engines-errors.js') && window.__enginesCollector === true`)).toBe(true);
    }
    await tablet.evaluate(`(setTimeout(() => { throw new Error('engines probe: thrown'); }), Promise.reject(new Error('engines probe: rejected')), true)`);
    const seen: string[] = [];
    await tablet.poll(
      'both probe errors',
      async () => seen.push(...(await tablet.takePageErrors())),
      () => seen.length >= 2,
    );
    expect(seen.join('\n')).toContain('engines probe: thrown');
    expect(seen.join('\n')).toContain('engines probe: rejected');
  });
});

/** Types a month into the "Kuukausi" field and commits it with Enter, as an instructor does. */
async function typeMonth(tablet: Tablet, typed: string): Promise<void> {
  await tablet.fill(field('Kuukausi'), typed);
  await tablet.press('Enter');
}

function monthName(date: Date): string {
  return new Intl.DateTimeFormat('fi', { month: 'long', year: 'numeric' }).format(date);
}
