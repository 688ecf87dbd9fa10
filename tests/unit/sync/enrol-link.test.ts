// The enrolment link: the code is read from the fragment (new links) or the query (links printed before), and the
// sync screen is reached with the code in the fragment only.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { enrolmentCodeFromLink, syncScreenAddress } from '../../../src/sync/enrol-link';

const code = fc.stringMatching(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

describe('the enrolment link', () => {
  it('reads the code from #code= and from ?code=, the fragment first', () => {
    fc.assert(
      fc.property(code, code, (inFragment, inQuery) => {
        expect(enrolmentCodeFromLink('', `#code=${encodeURIComponent(inFragment)}`)).toBe(inFragment);
        expect(enrolmentCodeFromLink(`?code=${encodeURIComponent(inQuery)}`, '')).toBe(inQuery);
        expect(enrolmentCodeFromLink(`?code=${inQuery}`, `#code=${inFragment}`)).toBe(inFragment);
      }),
    );
    expect(enrolmentCodeFromLink('', '')).toBe('');
    expect(enrolmentCodeFromLink('?lang=fi', '#top')).toBe('');
  });

  it('leads to the sync screen with the code in the fragment, never in the query', () => {
    fc.assert(
      fc.property(code, (typed) => {
        const address = new URL(syncScreenAddress(typed), 'https://digi.example.fi');
        expect(address.pathname).toBe('/instructor/sync');
        expect(address.search).toBe('');
        expect(enrolmentCodeFromLink(address.search, address.hash)).toBe(typed);
      }),
    );
    expect(syncScreenAddress('')).toBe('/instructor/sync');
  });
});
