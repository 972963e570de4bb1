/** Progress lines go to stderr, so stdout carries the table only. */
export function log(line: string): void {
  process.stderr.write(`\x1b[1m[bench]\x1b[0m ${line}\n`);
}
