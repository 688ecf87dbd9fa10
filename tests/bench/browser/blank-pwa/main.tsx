// The browser bench's reference: a blank PWA with the app's three libraries (Preact, Dexie, i18next) and one line of
// text. It renders at once and opens its database after, the floor a cold start of the app is compared with.
import Dexie from 'dexie';
import i18next from 'i18next';
import { render } from 'preact';

await i18next.init({ lng: 'fi', resources: { fi: { translation: { hello: 'Tervetuloa. Tämä on tyhjä sovellus.' } } } });
// The app types its own keys into i18next; this page has just one.
const t = i18next.t as unknown as (key: string) => string;
render(<p>{t('hello')}</p>, document.getElementById('app')!);

const database = new Dexie('blank-pwa');
database.version(1).stores({ visits: '++id' });
void database.table('visits').add({ at: Date.now() });
if ('serviceWorker' in navigator) void navigator.serviceWorker.register('/sw.js');
