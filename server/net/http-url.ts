/** Reading a configured URL that Salon will fetch or compare: absolute, and http or https only. */

/** `text` as a URL when it is an absolute http:// or https:// URL, else undefined. */
export function parseHttpUrl(text: string): URL | undefined {
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
}
