// `ringfence start` (and `npm start`): the whole of Ringfence in one process — the API and console,
// the DNS server and the proxy — on SQLite in the data folder unless DATABASE_URL is set.
import { parseStartConfig, type StartOptionsInput } from '../../server/start-config.ts';
import type { Command } from '../command.ts';
import type { RunningControlPlane } from '../../server/start.ts';
import { untilStopped } from '../until-stopped.ts';

export const startCommand: Command = {
  usage: '[--http ADDR:PORT] [--dns ADDR:PORT] [--proxy ADDR:PORT] [--upstream ADDR:PORT[,…]] [--school-name NAME] [--time-zone ZONE] [--smtp HOST:PORT --mail-from ADDRESS]',
  options: {
    http: { type: 'string' },
    dns: { type: 'string' },
    proxy: { type: 'string' },
    upstream: { type: 'string' },
    'school-name': { type: 'string' },
    'time-zone': { type: 'string' },
    smtp: { type: 'string' },
    'mail-from': { type: 'string' },
  },
  async run({ values }, ctx) {
    const config = parseStartConfig({ ...(values as unknown as StartOptionsInput), data: ctx.dataDir });
    // Loaded only for this command: the others should not pay for the HTTP server's code.
    const { startRingfence } = await import('../../server/start.ts');
    const running = await startRingfence(config, ctx.err);
    ctx.out(`ringfence: DNS on ${running.dns.udp.address}:${running.dns.udp.port} (UDP and TCP), forwarding to ${config.upstreams.map((u) => `${u.host}:${u.port}`).join(', ')} (from ${config.upstreamSource})`);
    ctx.out(`ringfence: web proxy on ${running.proxy.listening.address}:${running.proxy.listening.port} (PAC file: http://${running.proxy.listening.address}:${running.proxy.listening.port}/proxy.pac)`);
    const announce = (control: RunningControlPlane) => {
      const web = `http://${control.http.host.includes(':') ? `[${control.http.host}]` : control.http.host}:${control.http.port}`;
      ctx.out(`ringfence: data in ${config.dataDir} (${control.plane.database.description})`);
      ctx.out(`ringfence: school "${control.first.school.name}" (${control.first.school.id})${control.first.created ? ', created with the default policy pack' : ''}`);
      ctx.out(`ringfence: console and API on ${web} (health: ${web}/api/health)`);
      if (control.first.adminToken) {
        ctx.out('');
        ctx.out('First administrator: username "admin". Sign in once with this one-time token (valid 24 hours) and choose a password:');
        ctx.out(`  ${web}/#/welcome/${control.first.adminToken}`);
        ctx.out(`  (or POST ${web}/api/session/one-time with {"token": "${control.first.adminToken}", "password": "…"})`);
        ctx.out('');
      }
      ctx.out('ringfence: ready');
    };
    if (running.control) announce(running.control);
    else {
      ctx.out('ringfence: filtering; the API starts when the database can be opened');
      void running.controlReady.then(announce);
    }
    await untilStopped(() => void running.dns.reload());
    ctx.err('ringfence: stopping');
    await running.stop();
    ctx.err('ringfence: stopped');
    return 0;
  },
};
