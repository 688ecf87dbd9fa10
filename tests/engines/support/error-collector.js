// Installed by the WebKit engine test as the first script of the app's page (WebDriver has no "run before the page"):
// keeps every uncaught error and unhandled rejection in sessionStorage, so reloads and in-app navigations lose none.
(() => {
  const KEY = 'engines:page-errors';
  const keep = (text) => {
    try {
      const list = JSON.parse(sessionStorage.getItem(KEY) || '[]');
      list.push(text);
      sessionStorage.setItem(KEY, JSON.stringify(list));
    } catch (problem) {
      console.error('engines error collector could not keep an error', problem, text);
    }
  };
  const describe = (value) => (value instanceof Error ? `${value.name}: ${value.message}` : String(value));
  window.addEventListener('error', (event) => keep(event.error ? describe(event.error) : String(event.message)));
  window.addEventListener('unhandledrejection', (event) => keep(`Unhandled rejection: ${describe(event.reason)}`));
  window.__enginesCollector = true;
})();
