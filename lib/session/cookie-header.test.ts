import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { replaceCookie } from "./cookie-header";

describe("replaceCookie", () => {
  const cases: { name: string; header: string; expected: string }[] = [
    { name: "adds to an empty header", header: "", expected: "idle_act=NEW" },
    { name: "replaces the existing value", header: "a=1; idle_act=OLD; b=2", expected: "a=1; b=2; idle_act=NEW" },
    {
      name: "keeps other values byte for byte (=, %, +)",
      header: "ory_kratos_session=MTc2ODk=a%2Bb+c==; x=y",
      expected: "ory_kratos_session=MTc2ODk=a%2Bb+c==; x=y; idle_act=NEW",
    },
    {
      name: "does not touch a cookie whose name only starts the same",
      header: "idle_act_other=1",
      expected: "idle_act_other=1; idle_act=NEW",
    },
    { name: "drops duplicates of the cookie", header: "idle_act=A; idle_act=B", expected: "idle_act=NEW" },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(replaceCookie(c.header, "idle_act", "NEW"), c.expected));
  }
});
