// The built-in guide pictures' addresses for tests and benches, which have no build (and no /builtin-pictures.json):
// the picture files as Vite serves them from the source folder. Throws for a picture that is not there, as the app does.
const pictures = import.meta.glob<string>('../../src/guides/content/images/*.svg', { query: '?url', import: 'default', eager: true });

export function imageUrl(file: string): string {
  const url = pictures[`../../src/guides/content/images/${file}`];
  if (!url) throw new Error(`Built-in guide picture missing: ${file}`);
  return url;
}
