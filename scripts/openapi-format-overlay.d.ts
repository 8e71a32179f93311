// Types of openapi-format's overlay module, imported on its own: the package entry also loads its formatter, bundler
// and casing tools (about 120 ms of the generator's start-up) that generation never uses.
declare module "openapi-format/utils/overlay.js" {
  /** Applies an OpenAPI Overlay document's actions to a spec; reports the actions that matched nothing. */
  export function openapiOverlay(
    spec: object,
    options: { overlaySet: object },
  ): Promise<{ data: unknown; resultData: { unusedActions?: Record<string, unknown>[] } }>;
}
