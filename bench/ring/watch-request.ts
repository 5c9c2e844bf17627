/** Which requests are watches, as the API server decides it (kept apart from the preload, which subscribes on import). */

/** A list or get is a watch when it says `watch=true|1` or uses the legacy `/watch/` path prefix. */
export function isWatchRequest(url: string): boolean {
  const parsed = new URL(url, 'http://x');
  const watch = parsed.searchParams.get('watch');
  return watch === 'true' || watch === '1' || /^\/(api\/[^/]+|apis\/[^/]+\/[^/]+)\/watch\//.test(parsed.pathname);
}
