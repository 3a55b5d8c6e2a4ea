/** The routes an Express app mounts, as `METHOD /path`, found by walking its router stack (mount paths included). */
export function mountedRoutes(app: unknown): string[] {
  type Layer = { rawPath?: string; slash?: boolean; route?: { path: string; methods: Record<string, boolean> }; handle: { stack?: Layer[] } };
  const found: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route)
        for (const method of Object.keys(layer.route.methods)) found.push(`${method.toUpperCase()} ${(prefix + layer.route.path).replace(/(.)\/$/, '$1')}`);
      else if (layer.handle.stack) walk(layer.handle.stack, prefix + (layer.slash || typeof layer.rawPath !== 'string' ? '' : layer.rawPath));
    }
  };
  walk((app as { router: { stack: Layer[] } }).router.stack, '');
  return found;
}
