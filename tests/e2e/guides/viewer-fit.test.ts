// Every step of every built-in guide fits one screen, at every text size, on a landscape and a portrait tablet and a
// phone, with a voice present: the picture, the text and the bar Edellinen / Lue ääneen / Seuraava, no scrolling.
// One page per screen size and text size walks all steps through the app's own router (no reload per step).
import { describe, expect } from 'vitest';
import { builtinGuides } from '../../../src/guides/content';
import { axeViolations } from '../support/axe';
import { newTablet, waitForServiceWorker } from '../support/harness';
import { it } from '../support/fixtures';
import { saveScreenshot } from '../support/screenshots';
import { installFakeSpeech } from '../support/speech';

const VIEWPORTS = [
  { width: 1024, height: 768 },
  { width: 768, height: 1024 },
  { width: 360, height: 740 },
];
const SIZES = [
  ['normal', 'Tavallinen'],
  ['large', 'Suuri'],
  ['xlarge', 'Erittäin suuri'],
] as const;
const GUIDES = builtinGuides.map((guide) => ({ slug: guide.slug, total: guide.steps.length }));

interface Misfit {
  step: string;
  problem: string;
}

describe('the step viewer', () => {
  for (const viewport of VIEWPORTS) {
    it(`fits every step on one ${viewport.width}×${viewport.height} screen at every text size, with a voice`, async ({ browser, app }) => {
      const { context, page } = await newTablet(browser, viewport);
      try {
        await context.addInitScript(installFakeSpeech(['fi-FI']));
        await page.goto(app.url);
        await waitForServiceWorker(page);
        await page.getByRole('heading', { level: 1, name: 'Mitä haluat oppia?' }).waitFor();
        let steps = 0;
        for (const [size, label] of SIZES) {
          await page
            .getByRole('link', { name: /Asetukset|Settings/ })
            .first()
            .click();
          await page.getByText(label, { exact: true }).click();
          await page.waitForFunction((want) => document.documentElement.dataset.textSize === want, size);
          const result = await page.evaluate(async (guides) => {
            const misfits: Misfit[] = [];
            let walked = 0;
            const settle = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
            const fits = (el: Element | null) => {
              const box = el?.getBoundingClientRect();
              return Boolean(
                box && box.height > 0 && box.top >= 0 && box.left >= 0 && box.bottom <= window.innerHeight + 0.5 && box.right <= window.innerWidth + 0.5,
              );
            };
            for (const { slug, total } of guides) {
              for (let n = 1; n <= total; n += 1) {
                history.pushState(null, '', `/guides/${slug}/${n}`);
                dispatchEvent(new PopStateEvent('popstate'));
                const want = `${n} / ${total}`;
                for (let tries = 0; tries < 200; tries += 1) {
                  if (document.querySelector('.step-progress strong')?.textContent?.endsWith(want) && document.querySelector('.read-aloud')) break;
                  await new Promise((resolve) => setTimeout(resolve, 10));
                }
                await settle();
                walked += 1;
                const step = `${slug} ${want}`;
                const bar = document.querySelector('.step-nav');
                const text = document.querySelector('.step-text');
                if (!document.querySelector('.step-progress strong')?.textContent?.endsWith(want)) misfits.push({ step, problem: 'did not open' });
                if (document.scrollingElement!.scrollHeight > window.innerHeight + 1)
                  misfits.push({ step, problem: `page scrolls (${document.scrollingElement!.scrollHeight} px)` });
                for (const [name, css] of [
                  ['Edellinen', '.step-nav .step-previous'],
                  ['Lue ääneen', '.step-nav .read-aloud'],
                  ['Seuraava', '.step-nav .step-next'],
                ]) {
                  if (!fits(document.querySelector(css!))) misfits.push({ step, problem: `${name} not on screen` });
                }
                const textBox = text?.getBoundingClientRect();
                const barTop = bar?.getBoundingClientRect().top ?? 0;
                if (!textBox || textBox.top < 0 || textBox.bottom > barTop + 0.5) misfits.push({ step, problem: 'text not wholly on screen' });
                const scroller = document.querySelector('.step');
                if (scroller && scroller.scrollHeight > scroller.clientHeight + 1) misfits.push({ step, problem: 'step scrolls inside' });
              }
            }
            return { misfits, walked };
          }, GUIDES);
          if (result.misfits.length) console.log(size, JSON.stringify(result.misfits));
          expect(result.misfits, `${viewport.width}×${viewport.height}, ${size}`).toEqual([]);
          steps += result.walked;
          if (viewport.width === 1024 && size === 'normal') {
            await page.evaluate(() => {
              history.pushState(null, '', '/guides/whatsapp-kuva/2');
              dispatchEvent(new PopStateEvent('popstate'));
            });
            await page.locator('.step-progress strong', { hasText: '2 /' }).waitFor();
            await page.locator('img.step-picture').evaluate((img: HTMLImageElement) => img.decode());
            await saveScreenshot(page, 'guide-step-1024x768');
            expect(await axeViolations(page)).toEqual([]);
          }
        }
        expect(steps).toBe(SIZES.length * GUIDES.reduce((sum, guide) => sum + guide.total, 0));
      } finally {
        await context.close();
      }
    }, 180_000);
  }
});
