/**
 * Reads the mail Kratos sent from mailpit's HTTP API (the test stack starts mailpit; MAILPIT_API_URL points
 * at it, so the same specs run against any stack). Only this test's own address is ever searched.
 */
import { expect } from "@playwright/test";

const MAILPIT = process.env.MAILPIT_API_URL ?? "http://127.0.0.1:4536";

interface Summary {
  ID: string;
  Subject: string;
  To: { Address: string }[];
}

export interface Mail {
  subject: string;
  text: string;
}

async function search(address: string): Promise<Summary[]> {
  const query = encodeURIComponent(`to:"${address}"`);
  const response = await fetch(`${MAILPIT}/api/v1/search?query=${query}`);
  expect(response.status, `mailpit search at ${MAILPIT}`).toBe(200);
  const body = (await response.json()) as { messages: Summary[] };
  return body.messages.filter((m) => m.To.some((to) => to.Address.toLowerCase() === address.toLowerCase()));
}

/** Waits for the one mail to `address` whose subject matches, and returns it (fails on none, or more than one). */
export async function mailTo(address: string, subject: RegExp, timeout = 20_000): Promise<Mail> {
  let found: Summary[] = [];
  await expect
    .poll(async () => (found = (await search(address)).filter((m) => subject.test(m.Subject))).length, { timeout })
    .toBeGreaterThan(0);
  expect(found, `exactly one "${subject.source}" mail to ${address}`).toHaveLength(1);
  const response = await fetch(`${MAILPIT}/api/v1/message/${found[0]!.ID}`);
  expect(response.status).toBe(200);
  const message = (await response.json()) as { Subject: string; Text: string };
  return { subject: message.Subject, text: message.Text };
}

/** The six-digit code Kratos puts in recovery and verification mails. */
export function codeIn(mail: Mail): string {
  const match = /^\s*(\d{6})\s*$/m.exec(mail.text);
  if (!match?.[1]) throw new Error(`no code in the mail "${mail.subject}":\n${mail.text}`);
  return match[1];
}
