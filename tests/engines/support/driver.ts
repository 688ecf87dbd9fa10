// What the engine harness needs from a browser, and nothing more: each engine (Firefox over WebDriver BiDi, WebKit over
// W3C WebDriver) implements this, and tablet.ts builds the person-level steps on top of it once for all engines.

export type EngineName = 'Firefox' | 'WebKit';

/** Keys the scenario presses; each driver maps them to its protocol's key names. */
export type Key = 'Enter' | 'Tab' | 'ArrowRight' | 'ArrowLeft' | 'Backspace';

export interface Point {
  x: number;
  y: number;
}

export interface EngineDriver {
  readonly engine: EngineName;
  /** The browser and its version as the browser reports it, e.g. "firefox/153.8.0" or "MiniBrowser 2.50.6". */
  readonly version: string;
  /** Evaluates a JavaScript expression in the page (awaiting it if it is a promise) and returns its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
  /** Opens an address and waits until the page has loaded. */
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  /** The browser's Back: the page before, from the back-forward cache where the engine keeps one. */
  back(): Promise<void>;
  /** A real pointer click (mouse down and up) at a point of the viewport, in CSS pixels. */
  clickAt(point: Point): Promise<void>;
  /** Types text into whatever has the focus, key by key. */
  type(text: string): Promise<void>;
  press(key: Key): Promise<void>;
  /** Presses the pointer at `from`, moves it to `to` in small steps and lets go: a swipe. */
  drag(from: Point, to: Point): Promise<void>;
  /** A PNG of what the screen shows. */
  screenshot(): Promise<Buffer>;
  /** Uncaught errors and unhandled rejections of the page since the last call (then forgotten). */
  takePageErrors(): Promise<string[]>;
  close(): Promise<void>;
}
