import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { kratosCookieHeader } from "./cookie-header";

describe("kratosCookieHeader", () => {
  const cases = [
    {
      name: "keeps the session and CSRF cookies, drops the rest",
      in: [
        { name: "ory_kratos_session", value: "MTc=" },
        { name: "idle_act", value: "v1.x.y" },
        { name: "csrf_token_abc", value: "a+b/c=" },
        { name: "other", value: "1" },
      ],
      out: "ory_kratos_session=MTc=; csrf_token_abc=a+b/c=",
    },
    {
      name: "honours a custom session cookie name",
      in: [
        { name: "my_session", value: "v" },
        { name: "ory_kratos_session", value: "w" },
      ],
      out: "my_session=v",
    },
    { name: "empty when there is nothing for Kratos", in: [{ name: "idle_act", value: "v1" }], out: "" },
  ];
  for (const c of cases)
    it(c.name, () =>
      assert.equal(kratosCookieHeader(c.in, c.name.includes("custom") ? "my_session" : "ory_kratos_session"), c.out),
    );
});
