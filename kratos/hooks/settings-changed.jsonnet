// Body of Kratos' web_hook after a profile change in the settings flow (scripts/lib.sh, kratos_env):
// the identity and the idle-timeout trait as saved. Nothing else leaves Kratos (no traits, no credentials).
function(ctx) {
  identity_id: ctx.identity.id,
  idle_timeout_minutes:
    if std.objectHas(ctx.identity.traits, 'idle_timeout_minutes')
    then ctx.identity.traits.idle_timeout_minutes
    else null,
}
