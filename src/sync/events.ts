// The one event the sync engine sends the app shell: the server asked this tablet to erase itself.
export const REMOTE_WIPE_EVENT = 'digituki:remote-wipe';
