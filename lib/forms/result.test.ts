/**
 * Tests for the form helpers (lib/forms/result.ts): formFields() reads only the named fields and refuses
 * anything that is not a FormData (a hand-made action call), fieldErrorsOf() keeps each field's first message.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fieldErrorsOf, formFields } from "./result";

describe("formFields", () => {
  it("reads the named fields; missing ones are undefined; others are ignored", () => {
    const form = new FormData();
    form.append("company", "Acme");
    form.append("extra", "ignored");
    assert.deepEqual(formFields(form, ["company", "vat_id"]), { company: "Acme", vat_id: undefined });
  });

  it("a file stays a file (the schema refuses it), never its text", () => {
    const form = new FormData();
    form.append("company", new Blob(["Acme"]), "company.txt");
    assert.ok(formFields(form, ["company"])?.company instanceof File);
  });

  it("the first value of a repeated field", () => {
    const form = new FormData();
    form.append("confirm", "DELETE");
    form.append("confirm", "no");
    assert.equal(formFields(form, ["confirm"])?.confirm, "DELETE");
  });

  for (const value of [
    undefined,
    null,
    1,
    "company=Acme",
    [],
    {},
    { get: () => "DELETE" },
    new URLSearchParams("confirm=DELETE"),
  ]) {
    it(`not a FormData (${Object.prototype.toString.call(value)} ${JSON.stringify(value) ?? ""}) → null`, () => {
      assert.equal(formFields(value, ["confirm"]), null);
    });
  }
});

describe("fieldErrorsOf", () => {
  it("first message per field; issues without a path go to 'form'", () => {
    assert.deepEqual(
      fieldErrorsOf([
        { path: ["company"], message: "first" },
        { path: ["company"], message: "second" },
        { path: [], message: "whole form" },
      ]),
      { company: "first", form: "whole form" },
    );
  });
});
