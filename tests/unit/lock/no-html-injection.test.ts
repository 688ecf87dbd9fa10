// Guide texts, notes and nicknames reach the screen only as text: Preact escapes it unless someone opts out.
// This test fails if any source file opts out (dangerouslySetInnerHTML) or writes HTML strings into the DOM.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.(tsx?|jsx?)$/.test(name) ? [path] : [];
  });
}

const FORBIDDEN = [
  /dangerouslySetInnerHTML/,
  /\.(innerHTML|outerHTML)\s*\+?=(?!=)/,
  /\.insertAdjacentHTML\s*\(/,
  /document\.write(ln)?\s*\(/,
  /createContextualFragment\s*\(/,
  /\bsrcdoc\s*=/,
];

function htmlSinks(text: string): string[] {
  return FORBIDDEN.filter((pattern) => pattern.test(text)).map(String);
}

describe('rendering text, never HTML', () => {
  it('no file under src/ renders an HTML string', () => {
    const found = sourceFiles(join(process.cwd(), 'src')).flatMap((file) => htmlSinks(readFileSync(file, 'utf8')).map((sink) => `${file}: ${sink}`));
    expect(found).toEqual([]);
  });

  it('the check itself catches each way of doing it', () => {
    expect(htmlSinks('<p dangerouslySetInnerHTML={{ __html: note }} />')).toHaveLength(1);
    expect(htmlSinks('element.innerHTML = guide.text;')).toHaveLength(1);
    expect(htmlSinks('element.innerHTML += step;')).toHaveLength(1);
    expect(htmlSinks("node.insertAdjacentHTML('beforeend', x)")).toHaveLength(1);
    expect(htmlSinks('if (el.innerHTML === "") {}')).toEqual([]);
    expect(htmlSinks('element.textContent = guide.text;')).toEqual([]);
  });
});
