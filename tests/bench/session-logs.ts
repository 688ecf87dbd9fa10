// The session logs every bench writes and sends (the node benches and the browser bench's page): one shape, so their
// numbers compare.
export function logFields(i: number) {
  return {
    status: 'final',
    startedAt: 1_767_000_000_000 + i * 3_600_000,
    durationBand: ['under-15', '15-30', '30-60', 'over-60'][i % 4],
    format: ['group', 'walk-in', 'pop-up', 'one-to-one'][i % 4],
    channel: 'in-person',
    participants: { member: { new: i % 3, returning: (i * 7) % 5 }, onlooker: { new: 0, returning: i % 2 } },
    topics: [['security', 'e-identification'], ['keeping-in-touch'], ['attachments', 'authority-services', 'other']][i % 3],
    guidesUsed: [],
    devicesUsed: ['own'],
    outcome: 'with-support',
    referredTo: [],
    barriers: i % 5 === 0 ? ['no-e-id'] : [],
    note: i % 4 === 0 ? 'Päivitykset ja huijausviestit' : '',
    updatedAt: 1_767_000_000_000 + i,
  };
}
