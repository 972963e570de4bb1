import { describeSeconds } from "@/lib/format/duration";
import type { PolicyConfig } from "@/lib/config/policy-config.js";
import { budgetFor, type Subject } from "@/lib/policy/idle-rule";

function minutes(seconds: number | null): string {
  return seconds === null ? "never (absolute limit only)" : describeSeconds(seconds);
}

/** Where the absolute limit counts from, as the user reads it. */
const ABSOLUTE_FROM: Record<PolicyConfig["absoluteFrom"], string> = {
  "sign-in": "you signed in (signing in again to confirm it's you does not extend it)",
  "last-authentication": "you last signed in or confirmed it's you",
};

/** The user's effective policy on this device (WCAG 2.2.6: say how long inactivity may last). */
export function PolicyTable({
  subject,
  policy,
  absoluteDeadline,
}: {
  subject: Subject;
  policy: PolicyConfig;
  absoluteDeadline: number;
}) {
  const rows = [
    { area: "Normal pages", seconds: budgetFor("/dashboard", subject, policy).seconds },
    ...policy.ceilings.map((c) => ({ area: c.label, seconds: budgetFor(c.prefix, subject, policy).seconds })),
  ];
  const at = new Date(absoluteDeadline);
  return (
    <table data-testid="policy-table">
      <caption className="muted">
        Your sign-out policy on this {subject.device === "mobile" ? "mobile device" : "computer"}
      </caption>
      <thead>
        <tr>
          <th scope="col">Area</th>
          <th scope="col">Signed out after inactivity of</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.area}>
            <td>{r.area}</td>
            <td>{minutes(r.seconds)}</td>
          </tr>
        ))}
        <tr>
          <td>Any page (absolute limit)</td>
          <td data-testid="policy-absolute">
            {minutes(policy.absoluteSeconds)} after {ABSOLUTE_FROM[policy.absoluteFrom]}: at{" "}
            <time dateTime={at.toISOString()}>{at.toISOString().slice(11, 16)} UTC</time>
          </td>
        </tr>
        <tr>
          <td>What keeps you signed in</td>
          <td data-testid="policy-activity">
            clicks, keys, typing, scrolling, touch
            {policy.activity.pointerMovement ? " and moving the mouse" : " (moving the mouse alone does not)"}
          </td>
        </tr>
      </tbody>
    </table>
  );
}
