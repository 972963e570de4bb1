/**
 * BENCH ONLY (copied over middleware.ts in the "baseline" copy): the obvious designs the gate is compared
 * with, chosen once at start-up by BENCH_BASELINE_MODE:
 *   whoami -> ask Kratos (whoami) on every request;
 *   naive  -> whoami on every request, then write last activity to PostgreSQL (an upsert into the product's
 *             session_activity table, with its indexes) before the request goes on.
 * It runs on the Node.js runtime (`runtime: "nodejs"`): the Edge runtime cannot open PostgreSQL, and the
 * naive design is the one that would. Both modes share this one build; only the env var differs.
 */
import { NextResponse, type NextRequest } from "next/server";
import pg from "pg";

const MODE = process.env.BENCH_BASELINE_MODE === "naive" ? "naive" : "whoami";
const KRATOS = process.env.KRATOS_PUBLIC_INTERNAL_URL ?? process.env.KRATOS_PUBLIC_URL ?? "http://localhost:4433";
const COOKIE = process.env.KRATOS_SESSION_COOKIE ?? "ory_kratos_session";
const IDLE_SECONDS = 1800;

let pool: pg.Pool | undefined;
function db(): pg.Pool {
  pool ??= new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  return pool;
}

interface Whoami {
  id: string;
  expires_at: string;
  identity: { id: string };
}

export async function middleware(request: NextRequest) {
  const value = request.cookies.get(COOKIE)?.value;
  if (!value) return NextResponse.json({ error: "unauthenticated" }, { status: 401 });
  const who = await fetch(`${KRATOS}/sessions/whoami`, {
    headers: { cookie: `${COOKIE}=${value}` },
    cache: "no-store",
  });
  if (who.status === 401 || who.status === 403) return NextResponse.json({ error: "unauthenticated" }, { status: 401 });
  if (!who.ok) return NextResponse.json({ error: "auth_unavailable" }, { status: 503 });
  const session = (await who.json()) as Whoami;
  if (MODE === "naive") {
    await db().query(
      `INSERT INTO session_activity
         (session_id, identity_id, last_activity_at, last_path, budget_seconds, idle_deadline, absolute_deadline)
       VALUES ($1, $2, now(), $3, $4::int, now() + make_interval(secs => $4::int), $5::timestamptz)
       ON CONFLICT (session_id) DO UPDATE SET last_activity_at = now(), last_path = EXCLUDED.last_path,
         idle_deadline = EXCLUDED.idle_deadline, updated_at = now()`,
      [session.id, session.identity.id, request.nextUrl.pathname.slice(0, 256), IDLE_SECONDS, session.expires_at],
    );
  }
  return NextResponse.next();
}

export const config = {
  matcher: [
    // The product's matcher, written over two lines with a line continuation (the string has no line break).
    "/((?!_next/static|_next/image|favicon.ico|robots.txt|api/upload$|\
api/session/activity$|api/session/events$|api/internal/).*)",
  ],
  runtime: "nodejs",
};
