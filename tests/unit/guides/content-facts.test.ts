// Facts in the built-in guides that were once wrong or risky for the participants (issue 15, items 1–10).
// Each check reads the real content, so a later edit that brings an old mistake back fails here.
import { describe, expect, it } from 'vitest';
import { builtinGuides } from '../../../src/guides/content';
import type { BuiltinGuide, ContentLang } from '../../../src/guides/content/types';

const LANGS: ContentLang[] = ['fi', 'sv', 'en'];

const guide = (slug: string): BuiltinGuide => {
  const found = builtinGuides.find((g) => g.slug === slug);
  if (!found) throw new Error(`guide ${slug} missing`);
  return found;
};
const texts = (slug: string, lang: ContentLang): string[] => guide(slug).steps.map((s) => s.text[lang]);
const all = (slug: string, lang: ContentLang): string => texts(slug, lang).join('\n');
const stepIndex = (slug: string, lang: ContentLang, pattern: RegExp): number => texts(slug, lang).findIndex((t) => pattern.test(t));

describe('facts the guides must get right', () => {
  it('1. says who may support a citizens’ initiative before the confirmation, and points others to kuntalaisaloite.fi', () => {
    const who = stepIndex('kansalaisaloite-otakantaa', 'fi', /Suomen kansalainen/);
    const confirm = stepIndex('kansalaisaloite-otakantaa', 'fi', /^Vahvista/);
    expect(who).toBeGreaterThanOrEqual(0);
    expect(confirm).toBeGreaterThan(who);
    expect(all('kansalaisaloite-otakantaa', 'fi')).toMatch(/äänioikeu/);
    expect(all('kansalaisaloite-otakantaa', 'sv')).toMatch(/finsk medborgare/);
    expect(all('kansalaisaloite-otakantaa', 'en')).toMatch(/Finnish citizen/);
    for (const lang of LANGS) expect(all('kansalaisaloite-otakantaa', lang), lang).toContain('kuntalaisaloite.fi');
    expect(all('kansalaisaloite-otakantaa', 'fi')).not.toMatch(/täysi-ikäistä kannattajaa/);
  });

  it('2. warns to approve a bank log-in only when you started it yourself, as a warning step', () => {
    const warnings = guide('suomifi-pankkitunnukset').steps.filter((s) => s.kind === 'warning');
    expect(warnings.some((s) => s.text.fi.includes('Hyväksy vain, jos aloitit kirjautumisen itse.'))).toBe(true);
    expect(warnings.some((s) => s.text.sv.startsWith('Godkänn bara om du själv'))).toBe(true);
    expect(warnings.some((s) => s.text.en.startsWith('Approve only if you started'))).toBe(true);
  });

  it('3. does not promise that a sender’s name protects you, and covers phone scams and “Hi Mum, new number”', () => {
    const fi = all('huijausviesti', 'fi');
    expect(fi).not.toMatch(/Katso nimi tarkkaan/);
    expect(fi).toMatch(/nimi ei todista/);
    expect(fi).toMatch(/puhelimessa/);
    expect(fi).toMatch(/Turvatiliä ei ole/);
    expect(fi).toMatch(/vahvistusta sovelluksessa/);
    expect(fi).toMatch(/Hei äiti/);
    expect(all('huijausviesti', 'sv')).toMatch(/Hej mamma/);
    expect(all('huijausviesti', 'en')).toMatch(/Hi Mum/);
  });

  it('4. tells people on a shared tablet to delete the photos of their papers and empty the deleted-photos folder', () => {
    expect(all('kela-liite', 'fi')).toMatch(/galleria/);
    expect(all('kela-liite', 'fi')).toContain('Äskettäin poistetut');
    expect(all('kela-liite', 'sv')).toContain('Nyligen raderade');
    expect(all('kela-liite', 'en')).toContain('Recently Deleted');
  });

  it('5. Kela letters: a notice for each letter, paper payment commitments, six months of paper post, your own e-mail', () => {
    const fi = all('kela-kirjeet', 'fi');
    expect(fi).toMatch(/Jokaisesta uudesta kirjeestä tulee ilmoitus/);
    expect(fi).toMatch(/maksusitoumukset tulevat aina paperilla/);
    expect(fi).toMatch(/puoleksi vuodeksi kerrallaan/);
    expect(fi).toContain('Anna oma sähköpostisi, älä ohjaajan.');
  });

  it('5. has no dates in any step, so nothing reads as news after the date has passed', () => {
    for (const g of builtinGuides)
      for (const lang of LANGS) {
        for (const text of texts(g.slug, lang)) expect(text, `${g.slug} ${lang}`).not.toMatch(/\b\d{1,2}\.\s?\d{1,2}\.\s?20\d\d\b|\b20\d\d\b/);
      }
  });

  it('6. mobile certificate: its own PIN (not the SIM PIN), an ID document or bank codes to get one, and prepaid plans checked', () => {
    const fi = all('suomifi-mobiilivarmenne', 'fi');
    expect(fi).toMatch(/mobiilivarmenteen PIN-koodi/);
    expect(fi).toMatch(/ei ole SIM-kortin PIN-koodi/);
    expect(fi).toMatch(/henkilökortin, passin tai pankkitunnukset/);
    expect(all('oman-laitteen-valinta', 'fi')).toMatch(/prepaid-liittymiin ei saa mobiilivarmennetta/);
  });

  it('7. does not make a person who only has bank codes feel they are doing it wrong', () => {
    expect(all('suomifi-pankkitunnukset', 'fi')).toContain('Pankkitunnuksilla voit kirjautua. Mobiilivarmenne on turvallisempi, jos sinulla on oma liittymä.');
  });

  it('8. gives Swedish readers FPA’s Swedish address and fpa.fi, and tells English readers OmaKela is in Finnish and Swedish only', () => {
    const sv = all('kela-liite', 'sv');
    expect(sv).toContain('FPA, PB 10, 00056 FPA');
    expect(sv).toContain('fpa.fi');
    for (const slug of ['kela-liite', 'kela-kirjeet']) expect(all(slug, 'en'), slug).toMatch(/only in Finnish and Swedish/);
  });

  it('9. device choice, touch basics and Wi-Fi: no instalments, used phones not locked, the edge swipe, public Wi-Fi allowed', () => {
    const device = all('oman-laitteen-valinta', 'fi');
    expect(device).toMatch(/osamaksulla/);
    expect(device).toMatch(/lukittu edellisen omistajan tiliin/);
    expect(all('kosketusnayton-perusteet', 'fi')).toMatch(/reunasta/);
    expect(all('nettiyhteys', 'fi')).not.toMatch(/Yhdistä vain verkkoon, jonka tunnet/);
    expect(all('nettiyhteys', 'fi')).toMatch(/julkinen Wi-Fi/);
  });

  it('10. softens what could not be verified: no national blocking number, no exact loan limits, no unverified labels', () => {
    const scam = all('huijausviesti', 'fi');
    expect(scam).toMatch(/sulkupalvelu/);
    expect(scam).not.toMatch(/\d{3}\s?\d{3}\s?\d{3}/);
    expect(all('e-kirjasto', 'fi')).not.toMatch(/\b5 lainaa\b|\benintään 5\b/);
    expect(all('kela-liite', 'fi')).not.toContain('Lähetä liite');
    for (const g of builtinGuides) expect(all(g.slug, 'fi'), g.slug).not.toContain('Jatka palveluun');
  });
});
