/**
 * The per-process caches of lib/session (verified records, cookie tokens, Kratos confirmations): a Map that
 * holds at most `size` entries, the one written longest ago out first. Web APIs only (Edge and Node alike).
 */
export const CACHE_SIZE = 4096;

/** Stores `value` under `key` as the newest entry and returns it. */
export function remember<V>(cache: Map<string, V>, key: string, value: V, size = CACHE_SIZE): V {
  cache.delete(key);
  if (cache.size >= size) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
  return value;
}
