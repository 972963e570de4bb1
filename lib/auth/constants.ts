/** Set by middleware.ts on every request it handles; any value sent by the browser is overwritten. */
export const PATH_HEADER = "x-app-path";

/**
 * The areas that server actions and route handlers name for themselves (verifySession({ area })), so they
 * are judged by that area's ceiling wherever they are posted from. A prefix without a ceiling in the
 * policy is simply the normal budget.
 */
export const ADMIN_AREA = "/admin";
export const BILLING_AREA = "/billing";
