// Owns the addresses of the built-in guide pictures. The build writes them to /builtin-pictures.json (vite.config.ts),
// read only when the built-in guides are (re)loaded: the 228 addresses are data, not JavaScript on the first load.
export const PICTURE_MAP_URL = '/builtin-pictures.json';

export type PictureAddress = (file: string) => string;

/** Looks a picture up in the map; a guide that names a picture the build does not have is a build error, said plainly. */
export function pictureAddress(map: Record<string, unknown>): PictureAddress {
  return (file) => {
    const url = map[file];
    if (typeof url !== 'string') throw new Error(`Built-in guide picture missing: ${file}`);
    return url;
  };
}

export async function fetchPictureAddresses(doFetch: typeof fetch = fetch.bind(globalThis)): Promise<PictureAddress> {
  const response = await doFetch(PICTURE_MAP_URL);
  if (!response.ok) throw new Error(`The built-in pictures' list ${PICTURE_MAP_URL} could not be read (${response.status}).`);
  return pictureAddress((await response.json()) as Record<string, unknown>);
}
