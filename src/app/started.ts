// Owns the name of the performance mark the entry sets once its start-up work (database, built-in guides, background
// sync) is over, whether it went well or not: a navigation before it cuts the lazy imports that work is making.
export const STARTED_MARK = 'digituki:started';
