// Owns the compact form of field clocks on the wire: a record clock plus a clock only for the fields whose clock
// differs from it. Most records are written at one clock, so this drops nearly all repeated clocks from a pull or push.

/** The clocks of `fieldClocks` that differ from `hlc`; undefined when every field is at `hlc`. */
export function compactClocks(hlc: string, fieldClocks: Readonly<Record<string, string>>): Record<string, string> | undefined {
  let compact: Record<string, string> | undefined;
  for (const [name, clock] of Object.entries(fieldClocks)) {
    if (clock === hlc) continue;
    compact ??= {};
    compact[name] = clock;
  }
  return compact;
}

/** Every field of `fields` with its clock: the one `compact` names, else `hlc`. */
export function expandClocks(
  hlc: string,
  fields: Readonly<Record<string, unknown>>,
  compact: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const fieldClocks: Record<string, string> = {};
  for (const name of Object.keys(fields)) fieldClocks[name] = compact && Object.hasOwn(compact, name) ? compact[name]! : hlc;
  return fieldClocks;
}
