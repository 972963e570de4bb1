/**
 * Traits the app owns and edits with its own controls, so Kratos' generic forms must not show them: the
 * idle-timeout choice has a radio group with the organisation's limits on /settings, and one control per
 * setting means one place that explains it. Pure: the pages pass Kratos' flow through here before rendering.
 *
 *   settings      the field stays in the form as a hidden input carrying the value the app knows now, so saving
 *                 the profile (name, email) neither shows it as free text nor drops it (Kratos replaces traits
 *                 whole). Not the flow's own value: a flow started before the app's form changed the choice
 *                 still holds the old one, and saving it would silently undo the change. No choice: no field.
 *   registration  the field is left out: a new account starts with the schema's default
 */
import type { UiNode } from "@ory/client-fetch";

export const IDLE_TRAIT_FIELD = "traits.idle_timeout_minutes";
const APP_OWNED_TRAITS = new Set([IDLE_TRAIT_FIELD]);

/** `current`: the app's values of its traits, by field name (settings); omitted: registration. */
export function withAppOwnedFields<F extends { ui: { nodes: UiNode[] } }>(
  flow: F,
  current: Record<string, number | null> | "omitted",
): F {
  const nodes = flow.ui.nodes.flatMap((node): UiNode[] => {
    const attributes = node.attributes;
    if (attributes.node_type !== "input" || !APP_OWNED_TRAITS.has(attributes.name)) return [node];
    const value = current === "omitted" ? null : (current[attributes.name] ?? null);
    if (value === null) return [];
    return [{ ...node, attributes: { ...attributes, type: "hidden", value, required: false }, meta: {} }];
  });
  return { ...flow, ui: { ...flow.ui, nodes } };
}
