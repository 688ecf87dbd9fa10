// The report's numbers live in src/protocol/report.ts, shared with the server's console dashboard; the tablet's
// report screens import them from here.
export * from '../protocol/report';
