/**
 * Figures the resilience suite proves (variants tried / accepted, events produced / stored, ...).
 * Each is printed at once and appended to $TEST_RESULTS_DIR/figures.txt, which scripts/test.sh prints in
 * its summary, so a run ends with every figure in one place.
 */
import { appendFileSync } from "node:fs";
import path from "node:path";

export function reportFigure(suite: string, name: string, value: string | number): void {
  const line = `${suite.padEnd(18)} ${name.padEnd(46)} ${value}`;
  console.log(`FIGURE ${line}`);
  const dir = process.env.TEST_RESULTS_DIR;
  if (dir) appendFileSync(path.join(dir, "figures.txt"), `${line}\n`);
}
