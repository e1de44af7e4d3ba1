// `ringfence dns`: the filtering DNS server, until stopped (SIGINT/SIGTERM); SIGHUP reloads.
import { parseDnsConfig, type DnsOptionsInput } from '../../server/dns-config.ts';
import { startDnsService } from '../../server/dns-service.ts';
import type { Command } from '../command.ts';
import { untilStopped } from '../until-stopped.ts';

export const dnsCommand: Command = {
  usage:
    '--upstream ADDR:PORT[,…] [--listen ADDR:PORT] [--clients FILE] [--block-answer null|nxdomain|address:IP[,IP]]\n' +
    '       [--doh-listen ADDR:PORT --tls-cert FILE --tls-key FILE [--doh-tokens FILE]] [--cache-mb N] [--rate-limit QPS[/BURST]] [--answer-ttl S]',
  options: {
    listen: { type: 'string' },
    upstream: { type: 'string' },
    clients: { type: 'string' },
    'block-answer': { type: 'string' },
    'answer-ttl': { type: 'string' },
    'cache-mb': { type: 'string' },
    'rate-limit': { type: 'string' },
    'doh-listen': { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'doh-tokens': { type: 'string' },
  },
  async run({ values }, ctx) {
    const config = parseDnsConfig({ ...(values as unknown as DnsOptionsInput), data: ctx.dataDir });
    const service = await startDnsService(config, ctx.err);
    ctx.out(`dns: listening on ${service.udp.address}:${service.udp.port} (UDP and TCP)`);
    if (service.doh) ctx.out(`dns: DNS over HTTPS on https://${service.doh.address}:${service.doh.port}/dns-query`);
    ctx.out(`dns: forwarding to ${config.upstreams.map((u) => `${u.host}:${u.port}`).join(', ')}; blocked names answer ${config.blockAnswer.mode}`);
    await untilStopped(() => void service.reload());
    ctx.err('dns: stopping');
    await service.stop();
    ctx.err(`dns: stopped; ${service.activity.written} queries logged`);
    return 0;
  },
};
