import assert from "node:assert/strict";
import { test } from "node:test";
import type { UiNode } from "@ory/client-fetch";
import { withAppOwnedFields } from "./app-owned-fields";

const input = (name: string, value: unknown, group = "profile"): UiNode =>
  ({
    type: "input",
    group,
    attributes: { node_type: "input", name, type: "number", value, required: false, disabled: false },
    messages: [],
    meta: { label: { id: 1070002, text: name, type: "info" } },
  }) as unknown as UiNode;

const flow = {
  id: "f",
  ui: {
    action: "/x",
    method: "POST",
    nodes: [input("csrf_token", "t", "default"), input("traits.name", "Ada"), input("traits.idle_timeout_minutes", 15)],
  },
};

test("settings: the idle-timeout trait becomes a hidden input with the app's current value; other fields untouched", () => {
  const out = withAppOwnedFields(flow, { "traits.idle_timeout_minutes": 60 });
  assert.equal(out.ui.nodes.length, 3);
  const field = out.ui.nodes[2]!;
  assert.deepEqual(field.attributes, {
    node_type: "input",
    name: "traits.idle_timeout_minutes",
    type: "hidden",
    value: 60,
    required: false,
    disabled: false,
  });
  assert.deepEqual(field.meta, {});
  assert.deepEqual(out.ui.nodes.slice(0, 2), flow.ui.nodes.slice(0, 2));
  assert.equal(
    flow.ui.nodes[2]!.attributes.node_type === "input" && flow.ui.nodes[2]!.attributes.type,
    "number",
    "the input flow is not changed",
  );
});

test("registration: the idle-timeout trait is left out", () => {
  const out = withAppOwnedFields(flow, "omitted");
  assert.deepEqual(
    out.ui.nodes.map((n) => (n.attributes.node_type === "input" ? n.attributes.name : "")),
    ["csrf_token", "traits.name"],
  );
});

test('settings: "Never" (0) is carried; no choice at all leaves the field out', () => {
  const never = withAppOwnedFields(flow, { "traits.idle_timeout_minutes": 0 }).ui.nodes[2]!;
  assert.equal(never.attributes.node_type === "input" && never.attributes.value, 0);
  assert.equal(withAppOwnedFields(flow, { "traits.idle_timeout_minutes": null }).ui.nodes.length, 2);
  assert.equal(withAppOwnedFields(flow, {}).ui.nodes.length, 2);
});
