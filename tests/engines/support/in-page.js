// Runs inside the page under test, in any engine: finds elements as a person does (by role and name), aims a click at
// the middle of the screen and checks that it landed on its target. Plain JavaScript on purpose: it is sent to the
// browser as text, so no build step may rewrite it. Keep it one expression that evaluates to the helper object.
(() => {
  const squash = (value) => (value ?? '').replace(/\s+/g, ' ').trim();

  function isHidden(element) {
    for (let node = element; node; node = node.parentElement) {
      if (node.hidden || node.getAttribute('aria-hidden') === 'true') return true;
      const style = getComputedStyle(node);
      if (style.display === 'none') return true;
    }
    return getComputedStyle(element).visibility === 'hidden';
  }

  function isVisible(element) {
    return element.getClientRects().length > 0 && !isHidden(element);
  }

  /** The text a screen reader would read inside an element: skips what is hidden from it, reads alt texts. */
  function innerText(node, root = node) {
    if (node.nodeType === Node.TEXT_NODE) return node.textContent;
    if (node.nodeType !== Node.ELEMENT_NODE) return '';
    if (node.getAttribute('aria-hidden') === 'true' || node.hidden || getComputedStyle(node).display === 'none') return '';
    if (node.tagName === 'IMG') return node.getAttribute('alt') ?? '';
    const label = node.getAttribute('aria-label');
    if (label && node !== root) return label; // a labelled part inside (an icon button in a link) reads as its label
    let text = '';
    for (const child of node.childNodes) text += ' ' + innerText(child, root);
    return text;
  }

  const INPUT_ROLES = {
    button: 'button',
    submit: 'button',
    reset: 'button',
    checkbox: 'checkbox',
    radio: 'radio',
    number: 'spinbutton',
    range: 'slider',
    search: 'searchbox',
  };

  function roleOf(element) {
    const explicit = element.getAttribute('role');
    if (explicit) return explicit.split(' ')[0];
    const tag = element.tagName;
    if (tag === 'BUTTON') return 'button';
    if (tag === 'A' && element.hasAttribute('href')) return 'link';
    if (/^H[1-6]$/.test(tag)) return 'heading';
    if (tag === 'SELECT') return element.multiple || element.size > 1 ? 'listbox' : 'combobox';
    if (tag === 'TEXTAREA') return 'textbox';
    if (tag === 'INPUT') {
      const type = (element.getAttribute('type') ?? 'text').toLowerCase();
      if (type === 'hidden') return '';
      return INPUT_ROLES[type] ?? 'textbox';
    }
    if (tag === 'OUTPUT') return 'status';
    return '';
  }

  function headingLevel(element) {
    const match = /^H([1-6])$/.exec(element.tagName);
    return match ? Number(match[1]) : Number(element.getAttribute('aria-level') ?? 2);
  }

  function isFormControl(element) {
    return ['INPUT', 'SELECT', 'TEXTAREA'].includes(element.tagName) && element.type !== 'hidden';
  }

  function labelText(element) {
    const labelledBy = element.getAttribute('aria-labelledby');
    if (labelledBy) {
      return squash(
        labelledBy
          .split(/\s+/)
          .map((id) => {
            const ref = document.getElementById(id);
            return ref ? innerText(ref) : '';
          })
          .join(' '),
      );
    }
    const aria = element.getAttribute('aria-label');
    if (aria) return squash(aria);
    if (isFormControl(element)) {
      const labels = [...(element.labels ?? [])].map((label) => squash(innerText(label))).filter(Boolean);
      if (labels.length) return labels.join(' ');
      return squash(element.getAttribute('title') ?? element.getAttribute('placeholder') ?? '');
    }
    return '';
  }

  /** The accessible name, close enough to the spec for an app that labels its controls properly. */
  function nameOf(element) {
    const label = labelText(element);
    if (label || isFormControl(element)) return label;
    if (element.tagName === 'INPUT') return squash(element.value);
    return squash(innerText(element)) || squash(element.getAttribute('title') ?? '');
  }

  function nameMatches(actual, wanted) {
    if (typeof wanted === 'string') return actual === squash(wanted);
    return new RegExp(wanted.source, wanted.flags).test(actual);
  }

  function candidates(query) {
    const found = [];
    for (const element of document.body.querySelectorAll('*')) {
      if (query.role === 'field') {
        // A field to type or pick in; radios and checkboxes are found by their own roles.
        if (!isFormControl(element) || ['radio', 'checkbox', 'button', 'submit', 'reset'].includes(element.type)) continue;
      } else if (query.role === 'text') {
        // The innermost element whose own text is the wanted text (a chip's or a card's label).
        const own = squash(innerText(element));
        if (!nameMatches(own, query.name)) continue;
        if ([...element.children].some((child) => nameMatches(squash(innerText(child)), query.name))) continue;
        if (isVisible(element)) found.push(element);
        continue;
      } else if (roleOf(element) !== query.role) continue;
      if (query.level !== undefined && headingLevel(element) !== query.level) continue;
      if (!nameMatches(nameOf(element), query.name)) continue;
      if (isVisible(element)) found.push(element);
    }
    return found;
  }

  function describe(element) {
    const classes = element.className && typeof element.className === 'string' ? '.' + element.className.trim().split(/\s+/).join('.') : '';
    return `${element.tagName.toLowerCase()}${element.id ? '#' + element.id : ''}${classes} "${squash(innerText(element)).slice(0, 40)}"`;
  }

  /** What a person sees right now: the page's headings and buttons, for error messages that say what was there. */
  function overview() {
    const items = [];
    for (const element of document.body.querySelectorAll('h1, h2, button, a[href], label')) {
      if (isVisible(element)) items.push(`${roleOf(element) || element.tagName.toLowerCase()}: ${nameOf(element) || squash(innerText(element))}`);
    }
    return items.slice(0, 40).join(' | ');
  }

  const frames = (count) =>
    new Promise((resolve) => {
      const next = (left) => (left === 0 ? resolve() : requestAnimationFrame(() => next(left - 1)));
      next(count);
    });

  /** Where a click on the target may land and still be a click on it: the element, what is inside it, its labels. */
  function accepts(target, hit) {
    if (!hit) return false;
    if (target === hit || target.contains(hit)) return true;
    return [...(target.labels ?? [])].some((label) => label === hit || label.contains(hit));
  }

  const state = (window.__enginesState ??= { target: null, clicked: undefined });

  return {
    count(query) {
      return candidates(query).length;
    },
    overview,
    /** Picks the first visible match as the target of the next action; false when there is none yet. */
    select(query) {
      const [element] = candidates(query);
      state.target = element ?? null;
      return Boolean(element);
    },
    /**
     * Scrolls the target to the middle of the screen, waits two frames, and returns the point to click, or why not:
     * what covers the target there. Arms a listener that records where the next click really lands.
     */
    async aim() {
      const target = state.target;
      if (!target?.isConnected) return { problem: 'the target left the page' };
      if (target.disabled || target.closest('fieldset:disabled')) return { problem: `${describe(target)} is disabled` };
      target.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' });
      await frames(2);
      const rect = target.getBoundingClientRect();
      const x = Math.round(rect.left + rect.width / 2);
      const y = Math.round(rect.top + rect.height / 2);
      const hit = document.elementFromPoint(x, y);
      if (!accepts(target, hit)) return { problem: `${describe(target)} is covered at (${x}, ${y}) by ${hit ? describe(hit) : 'nothing'}` };
      state.clicked = null;
      document.addEventListener(
        'click',
        (event) => {
          state.clicked = event.target;
        },
        { capture: true, once: true },
      );
      return { x, y };
    },
    /** Did the last click reach the target? (Undefined when a new document replaced the page: nothing to check.) */
    landed() {
      if (state.clicked === undefined) return { ok: true };
      const hit = state.clicked;
      state.clicked = undefined;
      return accepts(state.target, hit)
        ? { ok: true }
        : {
            ok: false,
            problem: `the click meant for ${state.target ? describe(state.target) : 'a gone element'} landed on ${hit ? describe(hit) : 'nothing'}`,
          };
    },
    /** Selects the target's whole text, so that typing replaces it. */
    selectAll() {
      const target = state.target;
      target.focus();
      if (typeof target.select === 'function') target.select();
      return document.activeElement === target;
    },
    value() {
      return state.target?.value;
    },
    countCss(selector) {
      return document.querySelectorAll(selector).length;
    },
    /**
     * Where the focused element is against `cover` (after the keyboard moved the focus), and whether it is inside
     * `cover` itself; null when the focus is not inside `within`.
     */
    async focusedPlacement(cover, within) {
      const focused = document.activeElement;
      if (!focused?.closest(within)) return null;
      state.target = focused;
      return { ...(await this.overlap(cover)), inCover: Boolean(focused.closest(cover)) };
    },
    /** Scrolls the page to its top. */
    scrollToTop() {
      window.scrollTo({ top: 0, behavior: 'instant' });
    },
    /**
     * Scrolls to each element matching `controls` from the top of the page, as little as needed (what the browser does
     * for a found or focused control), and tells which ones end up under an element matching `cover` or out of reach.
     */
    async coveredWhenScrolledTo(controls, cover) {
      const all = [...document.querySelectorAll(controls)];
      const covered = [];
      for (const element of all) {
        window.scrollTo({ top: 0, behavior: 'instant' });
        element.scrollIntoView({ block: 'nearest', inline: 'nearest', behavior: 'instant' });
        state.target = element;
        const place = await this.overlap(cover);
        if (place.overlapped || !place.reachable) covered.push(place.name);
      }
      return { checked: all.length, covered };
    },
    /** The rectangles of the target and of the element(s) matching `selector`, and what is at the target's centre. */
    async overlap(selector) {
      await frames(2);
      const target = state.target;
      const rect = target.getBoundingClientRect();
      const x = rect.left + rect.width / 2;
      const y = rect.top + rect.height / 2;
      const covers = [...document.querySelectorAll(selector)]
        .filter((cover) => cover !== target && !cover.contains(target) && !target.contains(cover))
        .map((cover) => cover.getBoundingClientRect());
      const overlapped = covers.some((cover) => cover.top < rect.bottom && cover.bottom > rect.top && cover.left < rect.right && cover.right > rect.left);
      const inView = rect.top >= 0 && rect.bottom <= window.innerHeight;
      return { name: describe(target), overlapped, inView, reachable: accepts(target, document.elementFromPoint(x, y)) };
    },
  };
})();
