/**
 * BENCH ONLY (copied to app/api/bench/ping/route.ts in the bench's throwaway copies, never in the product):
 * the smallest protected route, so a request's cost is the middleware's and Next's own, not a page's.
 */
export const dynamic = "force-dynamic";

export function GET() {
  return new Response("pong", { headers: { "content-type": "text/plain", "cache-control": "no-store" } });
}
