/**
 * CSV cells for the audit export (lib/admin/csv.ts): RFC 4180 quoting and formula-injection neutralising.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { auditCsvLine, csvCell, csvLine } from "./csv";

const cells: { name: string; input: unknown; expected: string }[] = [
  { name: "plain text as is", input: "session_expired_idle", expected: "session_expired_idle" },
  { name: "null and undefined as empty", input: null, expected: "" },
  { name: "a number", input: 42, expected: "42" },
  { name: "a comma quotes the cell", input: "a,b", expected: '"a,b"' },
  { name: "quotes are doubled", input: 'say "hi"', expected: '"say ""hi"""' },
  { name: "a newline quotes the cell", input: "line1\nline2", expected: '"line1\nline2"' },
  { name: "a carriage return quotes the cell", input: "a\rb", expected: '"a\rb"' },
  { name: "= is neutralised", input: "=1+1", expected: "'=1+1" },
  { name: "+ is neutralised", input: "+cmd", expected: "'+cmd" },
  { name: "- is neutralised", input: "-2+3", expected: "'-2+3" },
  { name: "@ is neutralised", input: "@SUM(A1)", expected: "'@SUM(A1)" },
  { name: "a leading tab is neutralised", input: "\t=1", expected: "'\t=1" },
  {
    name: "a formula with quotes and commas: prefixed, then quoted",
    input: '=HYPERLINK("http://x","y")',
    expected: `"'=HYPERLINK(""http://x"",""y"")"`,
  },
  { name: "= in the middle is harmless", input: "/billing?a=1", expected: "/billing?a=1" },
  { name: "an object becomes JSON, quoted", input: { page: "/x", n: 1 }, expected: '"{""page"":""/x"",""n"":1}"' },
];

describe("csvCell", () => {
  for (const c of cells) it(c.name, () => assert.equal(csvCell(c.input), c.expected));
});

describe("csvLine / auditCsvLine", () => {
  it("joins with commas and ends with CRLF", () => assert.equal(csvLine(["a", "b,c", null]), 'a,"b,c",\r\n'));
  it("an audit row: area and page pulled out of metadata, metadata as JSON", () => {
    const line = auditCsvLine({
      id: "7",
      createdAt: "2031-06-11T12:00:00.000001Z",
      eventType: "session_expired_idle",
      identityId: null,
      sessionId: "5b4e5a3e-0000-4000-8000-000000000001",
      metadata: { area: "Billing", page: "=evil()" },
    });
    assert.equal(
      line,
      "7,2031-06-11T12:00:00.000001Z,session_expired_idle,,5b4e5a3e-0000-4000-8000-000000000001,Billing," +
        `'=evil(),"{""area"":""Billing"",""page"":""=evil()""}"\r\n`,
    );
  });
});
