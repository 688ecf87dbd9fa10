// The driver-neutral harness: what a person does on the tablet (find a control by its role and name, tap it, type,
// swipe, read), written once over EngineDriver so the same scenario runs in every engine. A tap scrolls its target to
// the middle of the screen, waits two frames, refuses when something covers it, and checks the click landed on it.
// Waits poll for a positive signal (an element, a value); nothing sleeps for a fixed time.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineDriver, Key } from './driver';
import { STARTED_MARK } from '../../../src/app/started';

// One expression, wrapped in parentheses by `call`: the formatter's closing semicolon is taken off.
const IN_PAGE = readFileSync(new URL('./in-page.js', import.meta.url), 'utf8')
  .trim()
  .replace(/;$/, '');
const WAIT_MS = 15_000;
const POLL_MS = 50;

export type Name = string | RegExp;
export type Role =
  | 'button'
  | 'link'
  | 'heading'
  | 'radio'
  | 'checkbox'
  | 'textbox'
  | 'searchbox'
  | 'combobox'
  | 'spinbutton'
  | 'status'
  | 'alert'
  | 'field'
  | 'text';

/** Where an element is against a cover: under it, inside the viewport, reachable by a tap at its centre. */
export interface Placement {
  name: string;
  overlapped: boolean;
  inView: boolean;
  reachable: boolean;
}

export interface Query {
  role: Role;
  name: Name;
  /** Heading level (1 for the screen's title). */
  level?: number;
}

const byName = (name: Name) => (typeof name === 'string' ? name : { source: name.source, flags: name.flags });
const show = (query: Query) => `${query.role} "${String(query.name)}"${query.level ? ` (level ${query.level})` : ''}`;

export const button = (name: Name): Query => ({ role: 'button', name });
export const link = (name: Name): Query => ({ role: 'link', name });
export const field = (name: Name): Query => ({ role: 'field', name });
export const radio = (name: Name): Query => ({ role: 'radio', name });
export const text = (name: Name): Query => ({ role: 'text', name });
export const title = (name: Name): Query => ({ role: 'heading', level: 1, name });

export class Tablet {
  constructor(readonly driver: EngineDriver) {}

  /** Calls one helper of in-page.js with JSON arguments. */
  private call<T>(method: string, ...args: unknown[]): Promise<T> {
    return this.driver.evaluate<T>(`(${IN_PAGE}).${method}(${args.map((arg) => JSON.stringify(arg)).join(', ')})`);
  }

  /**
   * Evaluates `probe` until `done` accepts its value; evaluation errors while a page is being replaced are retried.
   * Fails with `what`, the last value or error, and what the screen showed.
   */
  async poll<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean = Boolean, timeoutMs = WAIT_MS): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      try {
        const value = await probe();
        if (done(value)) return value;
        last = value;
      } catch (error) {
        last = error instanceof Error ? error.message : error;
      }
      if (Date.now() > deadline) {
        const screen = await this.call<string>('overview').catch(() => '(the page did not answer)');
        throw new Error(`Waited ${timeoutMs} ms for ${what}; last: ${JSON.stringify(last)}.\nOn the screen: ${screen}`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Waits until an element matches and makes it the target of the next step. */
  async find(query: Query, timeoutMs = WAIT_MS): Promise<void> {
    await this.poll(`${show(query)} to appear`, () => this.call<boolean>('select', { ...query, name: byName(query.name) }), Boolean, timeoutMs);
  }

  async see(query: Query, timeoutMs = WAIT_MS): Promise<void> {
    await this.find(query, timeoutMs);
  }

  async seeTitle(name: Name): Promise<void> {
    await this.find(title(name));
  }

  count(query: Query): Promise<number> {
    return this.call<number>('count', { ...query, name: byName(query.name) });
  }

  /** Waits until `query` matches exactly `count` elements. */
  async seeCount(query: Query, count: number): Promise<void> {
    await this.poll(
      `${count} × ${show(query)}`,
      () => this.count(query),
      (found) => found === count,
    );
  }

  /** A tap: the target in the middle of the screen, nothing over it, and the click reaching it. */
  async tap(query: Query): Promise<void> {
    const selector = { ...query, name: byName(query.name) };
    const aim = await this.poll(
      `${show(query)} to be there and tappable`,
      async () =>
        (await this.call<boolean>('select', selector)) ? this.call<{ x: number; y: number } | { problem: string }>('aim') : { problem: 'not on the screen' },
      (result) => 'x' in result,
    );
    if (!('x' in aim)) throw new Error(aim.problem);
    await this.driver.clickAt(aim);
    // A new document: nothing left to check.
    const landed = await this.call<{ ok: boolean; problem?: string }>('landed').catch((): { ok: boolean; problem?: string } => ({ ok: true }));
    if (!landed.ok) throw new Error(`Tap on ${show(query)}: ${landed.problem}`);
  }

  /** Taps a field, selects what is in it and types `value` over it, as a person would. */
  async fill(query: Query, value: string): Promise<void> {
    await this.tap(query);
    if (!(await this.call<boolean>('selectAll'))) throw new Error(`${show(query)} did not take the focus`);
    if (value === '') await this.driver.press('Backspace');
    else await this.driver.type(value);
    const typed = await this.call<string | undefined>('value');
    if (typed !== value) throw new Error(`${show(query)} holds "${typed}" after typing "${value}"`);
  }

  press(key: Key): Promise<void> {
    return this.driver.press(key);
  }

  /** A horizontal swipe across the target's upper middle, `dx` CSS pixels long (negative: to the left). */
  async swipe(query: Query, dx: number): Promise<void> {
    await this.find(query);
    const aim = await this.poll(
      `${show(query)} to be in view`,
      () => this.call<{ x: number; y: number } | { problem: string }>('aim'),
      (result) => 'x' in result,
    );
    if (!('x' in aim)) throw new Error(aim.problem);
    await this.driver.drag({ x: aim.x - dx / 2, y: aim.y }, { x: aim.x + dx / 2, y: aim.y });
  }

  /** Evaluates an expression in the page. */
  evaluate<T>(expression: string): Promise<T> {
    return this.driver.evaluate<T>(expression);
  }

  /** Waits until an expression evaluated in the page gives a truthy value, and returns it. */
  waitUntil<T>(what: string, expression: string, timeoutMs = WAIT_MS): Promise<T> {
    return this.poll(what, () => this.driver.evaluate<T>(expression), Boolean, timeoutMs);
  }

  /**
   * Waits until the app's start-up work is over (its performance mark) and every picture on the page has loaded: a
   * navigation before that cuts those loads, and Firefox reports each cut load as a page error.
   */
  async settled(): Promise<void> {
    await this.waitUntil(
      'the app to finish starting up and its pictures to load',
      `performance.getEntriesByName(${JSON.stringify(STARTED_MARK)}, 'mark').length > 0 && [...document.images].every((image) => image.complete)`,
    );
  }

  async goto(url: string): Promise<void> {
    await this.driver.goto(url);
  }

  async back(): Promise<void> {
    await this.driver.back();
  }

  /** Moves inside the app without loading a page (a load would lock the instructor area), as its own links do. */
  async goInApp(path: string): Promise<void> {
    await this.driver.evaluate(`(history.pushState(null, '', ${JSON.stringify(path)}), window.dispatchEvent(new PopStateEvent('popstate')), true)`);
  }

  async reload(): Promise<void> {
    await this.driver.reload();
  }

  /** The path of the page, e.g. "/guides/celia-aanikirjat/3". */
  path(): Promise<string> {
    return this.driver.evaluate<string>('location.pathname');
  }

  countCss(selector: string): Promise<number> {
    return this.call<number>('countCss', selector);
  }

  /** Where the focused element is against the elements matching `cover`; null when the focus is not in `within`. */
  focusedPlacement(cover: string, within: string): Promise<(Placement & { inCover: boolean }) | null> {
    return this.call('focusedPlacement', cover, within);
  }

  /** Scrolls to every element matching `controls` as the browser does for a found control; which end up under `cover`. */
  coveredWhenScrolledTo(controls: string, cover: string): Promise<{ checked: number; covered: string[] }> {
    return this.call('coveredWhenScrolledTo', controls, cover);
  }

  scrollToTop(): Promise<void> {
    return this.call('scrollToTop');
  }

  async saveScreenshot(dir: string, name: string): Promise<string> {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${name.replace(/[^\w.-]+/g, '-').slice(0, 120)}.png`);
    writeFileSync(path, await this.driver.screenshot());
    return path;
  }

  takePageErrors(): Promise<string[]> {
    return this.driver.takePageErrors();
  }
}
