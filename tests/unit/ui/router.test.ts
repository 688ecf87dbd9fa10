import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { location, matchPath, navigate } from '../../../src/ui/router';

describe('matchPath', () => {
  it('reads the guide and step from a deep link', () => {
    expect(matchPath('/guides/:slug/:step', '/guides/celia-aanikirjat/3')).toEqual({ slug: 'celia-aanikirjat', step: '3' });
    expect(matchPath('/guides/:slug/:step', '/guides/celia-aanikirjat')).toBeNull();
    expect(matchPath('/settings', '/settings/')).toEqual({});
    expect(matchPath('/settings', '/instructor')).toBeNull();
  });

  it('gives back any segment it was given', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((s) => !s.includes('/')),
        (slug) => {
          expect(matchPath('/guides/:slug', `/guides/${encodeURIComponent(slug)}`)).toEqual({ slug });
        },
      ),
    );
  });
});

describe('navigate', () => {
  it('changes the address and tells subscribers', () => {
    const seen: string[] = [];
    const stop = location.subscribe((next) => seen.push(next.path));
    navigate('/settings');
    navigate('/instructor?from=home', { replace: true });
    stop();
    expect(seen).toEqual(['/settings', '/instructor']);
    expect(location.get().search.get('from')).toBe('home');
  });
});
