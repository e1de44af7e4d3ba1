// /proxy.pac and /wpad.dat: the PAC text, naming the proxy as browsers reach it. Without a
// configured address, the Host the PAC file was fetched from is the proxy's address.
import { isRingfenceError } from '../core/errors.ts';
import { splitHostPort } from '../core/host/hostport.ts';
import { proxyAutoConfig } from './pages/pac.ts';
import type { LocalPages } from './server.ts';
import type { ProxyOptions } from './types.ts';

export function pacPages(options: ProxyOptions, listenPort: () => number): LocalPages {
  const bypass = { domains: [...options.pacBypass.domains], networks: [...options.pacBypass.networks] };
  // Bad bypass entries are refused at start-up, not on the first browser's request.
  proxyAutoConfig({ proxy: options.pacProxy ?? '127.0.0.1:3128', bypass });
  const fixed = options.pacProxy === null ? null : proxyAutoConfig({ proxy: options.pacProxy, bypass });
  return {
    pac(hostHeader) {
      if (fixed !== null) return fixed;
      if (hostHeader === undefined) return null;
      try {
        const { host, port } = splitHostPort(hostHeader, hostHeader, false);
        const shown = host.kind === 'ipv6' ? `[${host.host}]` : host.host;
        return proxyAutoConfig({ proxy: `${shown}:${port ?? listenPort()}`, bypass });
      } catch (e) {
        if (isRingfenceError(e)) return null;
        throw e;
      }
    },
  };
}
