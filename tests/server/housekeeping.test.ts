// The running server forgets what it must not keep: quarantined mutations older than 30 days go on a timer, not only
// when the server happens to be restarted (a server that runs for months would otherwise keep them for months).
import { expect } from 'vitest';
import { createEnrolmentCode, createOrganisation, createSite } from '../../src/server/admin';
import { QUARANTINE_KEEP_DAYS } from '../../src/server/store/store';
import { describeEachBackend } from './support/backends';
import { watchChore } from './support/chores';
import { T0, enrol, hlcAt } from './support/world';

const DAY = 86_400_000;

describeEachBackend('housekeeping while the server runs', (_backend, it) => {
  it('purges quarantined mutations once they are 30 days old, without a restart', async ({ clock, serve }) => {
    const server = await serve({ housekeepingEveryMs: 25 });
    const store = server.store;
    const purges = watchChore(store, 'purgeExpired');
    const organisation = await createOrganisation(store, 'Helsingin Digituki', T0);
    const site = await createSite(store, organisation.id, 'Päiväkeskus Kallio', T0);
    const tablet = await enrol(server.http, (await createEnrolmentCode(store, site.id, 24, T0)).code);
    const refused = await tablet.push([{ mutationId: 1, table: 'participants', id: 'p1', hlc: hlcAt(T0), fields: {} }]);
    expect(refused.body.quarantined).toHaveLength(1);
    expect(await store.quarantined(organisation.id)).toHaveLength(1);

    // Still within the 30 days: a purge on the timer at that time keeps it.
    clock.at = T0 + (QUARANTINE_KEEP_DAYS - 1) * DAY;
    await purges.finishedWith(clock.at);
    expect(await store.quarantined(organisation.id)).toHaveLength(1);

    clock.at = T0 + (QUARANTINE_KEEP_DAYS + 1) * DAY;
    await purges.finishedWith(clock.at);
    expect(await store.quarantined(organisation.id)).toHaveLength(0);
  });
});
