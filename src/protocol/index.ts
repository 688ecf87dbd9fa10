// Owns the public face of the sync protocol: everything client and server share, from one import.
export * from './version';
export * from './hlc';
export * from './clock-limit';
export * from './merge';
export * from './tables';
export * from './messages';
export * from './untrusted';
export * from './picture-header';
export * from './feedback';
export * from './builtin';
export * from './digest';
export * from './compact-clocks';
export * from './window';
export * from './auth';
export * from './sealed-note';
