/** Set by middleware.ts on every request it handles; any value sent by the browser is overwritten. */
export const PATH_HEADER = "x-app-path";
