/**
 * What one launch needs beyond the provider config: the pool it is for, the Kasm
 * server_id the new agent will register with, where to put it (OCI availability domain /
 * GCP zone) and the values of the startup script's Kasm tokens. The launch path builds a
 * real one (a fresh 32-hex server_id per instance); `config render` uses a sample.
 */
export interface LaunchContext {
  autoscaleConfigName: string;
  /** 32 lowercase hex characters; also fills `{server_id}`. */
  serverId: string;
  /** OCI availability domain or GCP zone. */
  zone: string;
  /** Values for the script's `{tokens}` (server_id is taken from `serverId`). */
  scriptTokens: Record<string, string>;
  /** The installation's ownership id, tagged on the instance (reconcile launches only). */
  ownerId?: string;
}

/** The tokens a script is filled with: the context's, with server_id always = serverId. */
export function tokensFor(ctx: LaunchContext): Record<string, string> {
  return { ...ctx.scriptTokens, server_id: ctx.serverId };
}
