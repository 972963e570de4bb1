/**
 * When Kratos last confirmed a session for an exact cookie, as seen by this process (per Edge isolate or
 * Node process; bounded, oldest out first). A status poll or prefetch that had to ask Kratos does not
 * re-issue the record for that alone (see needsReissue: its answer can cross a newer one), so without this
 * the browser's next request presented the old check time and asked Kratos again, a second or two later
 * (bench item 3: 5.4 whoami calls per session-minute instead of 3.8). The bound is unchanged: a check
 * counts for revalidateSeconds from the time Kratos answered, whichever of the two remembers it.
 */
import { CACHE_SIZE, remember } from "./remember";

export class Confirmations {
  private readonly byToken = new Map<string, { sid: string; at: number }>();
  constructor(private readonly size = CACHE_SIZE) {}

  /** Kratos confirmed session `sid` for the cookie with token `tok` at `at`. */
  confirm(tok: string, sid: string, at: number): void {
    remember(this.byToken, tok, { sid, at }, this.size);
  }

  /** Kratos no longer knows the cookie: forget it. */
  forget(tok: string): void {
    this.byToken.delete(tok);
  }

  /** The last confirmation of `sid` for this cookie, if any. */
  lastFor(tok: string, sid: string): number | undefined {
    const hit = this.byToken.get(tok);
    return hit && hit.sid === sid ? hit.at : undefined;
  }
}
