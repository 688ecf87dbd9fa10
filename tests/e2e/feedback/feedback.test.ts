// Participants give feedback on the shared tablet, one after another, offline: nobody sees anyone else's answers.
import { describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations } from '../support/axe';
import { newTablet, waitForServiceWorker } from '../support/harness';
import { it } from '../support/fixtures';
import { readTable, unlockInstructor } from '../sessions/tablet-data';

interface StoredFeedback {
  sessionId?: string;
  lang: string;
  answers: Record<string, unknown>;
  createdAt: number;
}

const question = (page: Page, name: string) => page.getByRole('heading', { level: 1, name }).waitFor();

async function nothingChosen(page: Page): Promise<boolean> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLInputElement>('main input[type=radio], main input[type=checkbox]')].every((input) => !input.checked),
  );
}

describe('feedback from three participants in a row', () => {
  it("stores each person's answers once, linked to the session when started from it, and always starts empty", async ({ browser, app }) => {
    const { context, page } = await newTablet(browser);
    await page.goto(`${app.url}/instructor`);
    await waitForServiceWorker(page);
    await context.setOffline(true);
    await unlockInstructor(page);

    // The instructor logs the session, then hands the tablet over from the log.
    await page.getByRole('link', { name: 'Uusi kirjaus' }).click();
    await page.getByText('Säännöllinen ryhmä', { exact: true }).click();
    await page.waitForURL(/\/instructor\/sessions\/[0-9a-f-]{36}$/);
    const sessionId = page.url().split('/').pop()!;
    await page.getByRole('link', { name: 'Anna tabletti osallistujalle' }).click();

    // Participant 1.
    await question(page, 'Miltä tänään tuntui?');
    expect(await page.getByRole('button', { name: 'Kuuntele' }).count()).toBe(0); // this Chromium has no Finnish voice
    expect(await axeViolations(page)).toEqual([]);
    await page.getByText('Tosi hyvä', { exact: true }).click();
    await page.getByRole('button', { name: 'Seuraava' }).click();
    await question(page, 'Mitä sait tänään?');
    await page.getByText('Yhteydenpito', { exact: true }).click();
    await page.getByText('Turvallisuus', { exact: true }).click();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Seuraava' }).click();
    await question(page, 'Mitä haluaisit tehdä ensi kerralla?');
    await page.getByText('En tiedä', { exact: true }).click();
    await page.getByRole('button', { name: 'Seuraava' }).click();
    await question(page, 'Mitä muuta haluaisit oppia?');
    await page.getByText('Jotain muuta', { exact: true }).click();
    await page.getByLabel('Yksi sana, jos haluat').fill('Podcastit');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Lähetä' }).click();
    await question(page, 'Kiitos!');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Seuraava henkilö' }).click();

    // Participant 2, same session: an empty form on every screen.
    await question(page, 'Miltä tänään tuntui?');
    expect(await nothingChosen(page)).toBe(true);
    await page.getByText('Huono', { exact: true }).click();
    for (const next of ['Mitä sait tänään?', 'Mitä haluaisit tehdä ensi kerralla?', 'Mitä muuta haluaisit oppia?']) {
      await page.getByRole('button', { name: 'Seuraava' }).click();
      await question(page, next);
      expect(await nothingChosen(page), next).toBe(true);
    }
    expect(await page.getByLabel('Yksi sana, jos haluat').count()).toBe(0);
    await page.getByRole('button', { name: 'Lähetä' }).click();
    await question(page, 'Kiitos!');

    // Nobody touches the thank-you: the tablet goes back to the participant home by itself.
    await page.waitForURL(`${app.url}/`, { timeout: 15_000 });

    // Participant 3 starts from the home, not from the session.
    await page.getByRole('link', { name: 'Anna palautetta' }).click();
    await question(page, 'Miltä tänään tuntui?');
    expect(await nothingChosen(page)).toBe(true);
    for (let i = 0; i < 3; i += 1) await page.getByRole('button', { name: 'Seuraava' }).click();
    await question(page, 'Mitä muuta haluaisit oppia?');
    expect(await nothingChosen(page)).toBe(true);
    await page.getByText('Kirjat ja musiikki', { exact: true }).click();
    await page.getByRole('button', { name: 'Lähetä' }).click();
    await question(page, 'Kiitos!');

    const stored = (await readTable<StoredFeedback>(page, 'feedback')).sort((a, b) => a.createdAt - b.createdAt);
    expect(stored.map(({ sessionId: id, lang, answers }) => ({ sessionId: id ?? null, lang, answers }))).toEqual([
      { sessionId, lang: 'fi', answers: { mood: 5, got: ['contact', 'safety'], next: ['dont-know'], learn: ['something-else'], learnWord: 'podcastit' } },
      { sessionId, lang: 'fi', answers: { mood: 2 } },
      { sessionId: null, lang: 'fi', answers: { learn: ['books'] } },
    ]);
    const outbox = await readTable<{ table: string }>(page, 'outbox');
    expect(outbox.filter((entry) => entry.table === 'feedback')).toHaveLength(3);
    await context.close();
  });
});

describe('read-aloud', () => {
  it('offers a Listen button when the tablet has a voice for the UI language, and reads the question', async ({ browser, app }) => {
    const { context, page } = await newTablet(browser);
    // A stand-in for the tablet's speech engine: one Finnish voice, and a record of what was spoken.
    await context.addInitScript(() => {
      const spoken: { text: string; lang: string }[] = [];
      (window as unknown as { spoken: typeof spoken }).spoken = spoken;
      class Utterance {
        voice: unknown = null;
        lang = '';
        rate = 1;
        constructor(public text: string) {}
      }
      Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: Utterance, configurable: true });
      Object.defineProperty(window, 'speechSynthesis', {
        configurable: true,
        value: {
          getVoices: () => [{ lang: 'fi-FI', name: 'Testiääni', localService: true }],
          speak: (utterance: Utterance) => spoken.push({ text: utterance.text, lang: utterance.lang }),
          cancel: () => undefined,
          addEventListener: () => undefined,
          removeEventListener: () => undefined,
        },
      });
    });
    await page.goto(`${app.url}/feedback`);
    await question(page, 'Miltä tänään tuntui?');
    await page.getByRole('button', { name: 'Kuuntele' }).click();
    expect(await page.evaluate(() => (window as unknown as { spoken: unknown[] }).spoken)).toEqual([{ text: 'Miltä tänään tuntui?', lang: 'fi-FI' }]);
    await context.close();
  });
});
