// `ringfence proxy`: the filtering web proxy, until stopped (SIGINT/SIGTERM); SIGHUP reloads.
import { parseProxyConfig, type ProxyOptionsInput } from '../../server/proxy-config.ts';
import { startProxyService } from '../../server/proxy-service.ts';
import type { Command } from '../command.ts';
import { untilStopped } from '../until-stopped.ts';

export const proxyCommand: Command = {
  usage:
    '--upstream-dns ADDR:PORT[,…] [--listen ADDR:PORT] [--clients FILE] [--allow-ports 80,443]\n' +
    '       [--auth off|optional|required] [--auth-network CIDR=MODE]… [--console-url URL]\n' +
    '       [--pac-proxy HOST:PORT] [--pac-bypass DOMAIN|CIDR,…] [--max-header-kb N] [--max-client-connections N]\n' +
    '       [--connect-timeout S] [--idle-timeout S] [--headers-timeout S] [--allow-non-tls-tunnels] [--cache-mb N]',
  options: {
    listen: { type: 'string' },
    'upstream-dns': { type: 'string' },
    clients: { type: 'string' },
    'allow-ports': { type: 'string' },
    auth: { type: 'string' },
    'auth-network': { type: 'string', multiple: true },
    'console-url': { type: 'string' },
    'pac-proxy': { type: 'string' },
    'pac-bypass': { type: 'string' },
    'max-header-kb': { type: 'string' },
    'max-client-connections': { type: 'string' },
    'connect-timeout': { type: 'string' },
    'idle-timeout': { type: 'string' },
    'headers-timeout': { type: 'string' },
    'allow-non-tls-tunnels': { type: 'boolean' },
    'cache-mb': { type: 'string' },
  },
  async run({ values }, ctx) {
    const config = parseProxyConfig({ ...(values as unknown as ProxyOptionsInput), data: ctx.dataDir });
    const service = await startProxyService(config, ctx.err);
    const { address, port } = service.listening;
    ctx.out(`proxy: listening on ${address}:${port} (HTTP and CONNECT; PAC at http://${address}:${port}/proxy.pac)`);
    ctx.out(`proxy: names looked up through ${config.upstreamDns.map((u) => `${u.host}:${u.port}`).join(', ')}; ports allowed ${[...config.proxy.allowPorts].join(', ')}; sign-in ${config.proxy.authDefault}`);
    await untilStopped(() => void service.reload());
    ctx.err('proxy: stopping');
    await service.stop();
    ctx.err('proxy: stopped');
    return 0;
  },
};
