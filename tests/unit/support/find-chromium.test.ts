// The browser tests find Chromium or stop with a plain error naming the package to install; they never install it.
import { describe, expect, it } from 'vitest';
import { findChromium, MISSING_CHROMIUM } from '../../e2e/support/chromium';

describe('finding Chromium for the browser tests', () => {
  it("takes Debian's /usr/bin/chromium when it is there", () => {
    expect(findChromium({}, (path) => path === '/usr/bin/chromium')).toBe('/usr/bin/chromium');
  });

  it('takes CHROME_PATH first, and refuses one that does not exist', () => {
    expect(findChromium({ CHROME_PATH: '/opt/chrome' }, () => true)).toBe('/opt/chrome');
    expect(() => findChromium({ CHROME_PATH: '/opt/missing' }, () => false)).toThrow('CHROME_PATH points to /opt/missing, which does not exist.');
  });

  it('says which package to install when there is none, and installs nothing', () => {
    const looked: string[] = [];
    expect(() => findChromium({}, (path) => (looked.push(path), false))).toThrow(MISSING_CHROMIUM);
    expect(MISSING_CHROMIUM).toContain('apt-get install chromium');
    expect(looked).toContain('/usr/bin/chromium'); // it only looked
  });
});
