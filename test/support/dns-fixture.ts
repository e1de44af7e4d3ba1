// A tiny authoritative DNS server for tests, on 127.0.0.1 (UDP and TCP on one ephemeral port).
// Built on dns-packet: clarity over speed. Zones:
//   explicit records (setZone) answer their names (a CNAME is followed within the fixture);
//   *.nxdomain.test      NXDOMAIN with the SOA (TTL 300, minimum 60) in the authority section;
//   *.large.test         answers over 1232 bytes (UDP replies get TC=1, clients retry over TCP);
//   anything else        A 192.0.2.x / AAAA 2001:db8::x derived from the name, TXT "fixture NAME",
//                        other types NODATA with the SOA of 'test'.
// Behaviours make it misbehave for failover tests (see FixtureBehaviour).
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import type { Answer, Packet, Question, SoaData } from 'dns-packet';

export type FixtureBehaviour =
  | 'normal'
  /** Never answers (TCP connections are held open). */
  | 'drop'
  | 'servfail'
  | 'refused'
  /** Answers after `delayMs` (default 300). */
  | 'slow'
  /** UDP: one reply with a wrong id, then nothing. TCP: the reply has a wrong id. */
  | 'wrong-id'
  /** UDP: one reply with the right id but another question, then nothing. TCP: the same reply. */
  | 'wrong-question'
  /** UDP: the right reply, but from another socket (another source port), then nothing. TCP: normal. */
  | 'spoof-port'
  /** UDP: every reply has TC=1 and no records. TCP: normal. */
  | 'truncate-always';

export type FixtureRecord =
  | { type: 'A' | 'AAAA' | 'CNAME' | 'NS' | 'PTR'; data: string; ttl?: number }
  | { type: 'TXT'; data: string | string[]; ttl?: number }
  | { type: 'SOA'; data: SoaData; ttl?: number }
  | { type: 'MX'; data: { preference: number; exchange: string }; ttl?: number }
  /** Raw RDATA (dns-packet has no SVCB codec). */
  | { type: 'HTTPS' | 'SVCB'; data: Uint8Array; ttl?: number };

export interface FixtureQuery {
  /** Lower-cased, no trailing dot. */
  readonly name: string;
  readonly type: number;
  readonly transport: 'udp' | 'tcp';
  readonly sourcePort: number;
  readonly id: number;
  /** The query carried an OPT record; `dnssecOk` is its DO bit. */
  readonly edns: boolean;
  readonly dnssecOk: boolean;
}

export interface DnsFixture {
  readonly address: string;
  readonly port: number;
  /** Every query received, in order, whatever the behaviour. */
  readonly queries: FixtureQuery[];
  /** Replaces the explicit records (names are matched without case). */
  setZone(records: Record<string, FixtureRecord[]>): void;
  setBehaviour(behaviour: FixtureBehaviour, options?: { delayMs?: number }): void;
  close(): Promise<void>;
}

export interface FixtureOptions {
  zone?: Record<string, FixtureRecord[]>;
  behaviour?: FixtureBehaviour;
  delayMs?: number;
  /** Every name not in the zone answers A 127.0.0.1 and AAAA NODATA (the proxy tests' sites are all on loopback). */
  loopback?: boolean;
}

const TYPE_NUMBERS: Record<FixtureRecord['type'], number> = {
  A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SVCB: 64, HTTPS: 65,
};
const SOA_TTL = 300;
const SOA: SoaData = { mname: 'ns.test', rname: 'hostmaster.test', serial: 2026112301, refresh: 3600, retry: 600, expire: 86400, minimum: 60 };
const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 };

function hash(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The A address the fixture gives `name` by default. */
export function fixtureAddress(name: string): string {
  return `192.0.2.${(hash(name.toLowerCase()) % 254) + 1}`;
}

/** The AAAA address the fixture gives `name` by default. */
export function fixtureAddress6(name: string): string {
  return `2001:db8::${((hash(name.toLowerCase()) & 0xfffe) + 1).toString(16)}`;
}

interface Reply {
  rcode: number;
  answers: Answer[];
  authorities: Answer[];
}

function record(owner: string, r: FixtureRecord): Answer {
  const ttl = r.ttl ?? 60;
  if (r.type === 'HTTPS' || r.type === 'SVCB') {
    // dns-packet writes unknown types from 'UNKNOWN_<n>' with raw data.
    return { name: owner, type: `UNKNOWN_${TYPE_NUMBERS[r.type]}`, ttl, data: Buffer.from(r.data) } as unknown as Answer;
  }
  return { name: owner, ttl, type: r.type, data: r.data } as Answer;
}

function soa(owner: string): Answer {
  return { name: owner, type: 'SOA', ttl: SOA_TTL, data: SOA };
}

function answer(zone: Map<string, FixtureRecord[]>, name: string, qtype: number, depth = 0, loopback = false): Reply {
  const explicit = zone.get(name);
  if (explicit !== undefined) {
    const matching = explicit.filter((r) => qtype === 255 || TYPE_NUMBERS[r.type] === qtype);
    if (matching.length > 0) return { rcode: RCODE.NOERROR, answers: matching.map((r) => record(name, r)), authorities: [] };
    const cname = explicit.find((r) => r.type === 'CNAME');
    if (cname !== undefined && depth < 8) {
      const rest = answer(zone, String(cname.data).toLowerCase(), qtype, depth + 1, loopback);
      return { ...rest, answers: [record(name, cname), ...rest.answers] };
    }
    return { rcode: RCODE.NOERROR, answers: [], authorities: [soa('test')] };
  }
  if (name.endsWith('.nxdomain.test')) return { rcode: RCODE.NXDOMAIN, answers: [], authorities: [soa('nxdomain.test')] };
  if (name.endsWith('.large.test')) {
    if (qtype === 1) {
      const answers: Answer[] = [];
      for (let i = 1; i <= 100; i++) answers.push({ name, type: 'A', ttl: 60, data: `198.51.100.${i}` });
      return { rcode: RCODE.NOERROR, answers, authorities: [] };
    }
    const strings = Array.from({ length: 8 }, (_, i) => `${i}`.repeat(250));
    return { rcode: RCODE.NOERROR, answers: [{ name, type: 'TXT', ttl: 60, data: strings }], authorities: [] };
  }
  if (loopback && (qtype === 1 || qtype === 28)) {
    return qtype === 1 ? { rcode: RCODE.NOERROR, answers: [{ name, type: 'A', ttl: 60, data: '127.0.0.1' }], authorities: [] } : { rcode: RCODE.NOERROR, answers: [], authorities: [soa('test')] };
  }
  if (qtype === 1) return { rcode: RCODE.NOERROR, answers: [{ name, type: 'A', ttl: 60, data: fixtureAddress(name) }], authorities: [] };
  if (qtype === 28) return { rcode: RCODE.NOERROR, answers: [{ name, type: 'AAAA', ttl: 60, data: fixtureAddress6(name) }], authorities: [] };
  if (qtype === 16) return { rcode: RCODE.NOERROR, answers: [{ name, type: 'TXT', ttl: 60, data: `fixture ${name}` }], authorities: [] };
  return { rcode: RCODE.NOERROR, answers: [], authorities: [soa('test')] };
}

/** The type of the first question, read from the wire (dns-packet names unknown types as strings). */
function questionType(msg: Buffer): number {
  let o = 12;
  while (o < msg.length && msg[o] !== 0) o += msg[o]! + 1;
  return o + 2 < msg.length ? msg.readUInt16BE(o + 1) : -1;
}

export async function startDnsFixture(options: FixtureOptions = {}): Promise<DnsFixture> {
  let zone = new Map<string, FixtureRecord[]>();
  let behaviour: FixtureBehaviour = options.behaviour ?? 'normal';
  let delayMs = options.delayMs ?? 300;
  const queries: FixtureQuery[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const connections = new Set<net.Socket>();
  const setZone = (records: Record<string, FixtureRecord[]>) => {
    zone = new Map(Object.entries(records).map(([k, v]) => [k.toLowerCase().replace(/\.$/, ''), v]));
  };
  if (options.zone) setZone(options.zone);

  /** The reply(ies) to send for one query: [] to stay silent. */
  function respond(msg: Buffer, transport: 'udp' | 'tcp', sourcePort: number): Buffer[] {
    let query: Packet;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return [];
    }
    const q: Question | undefined = query.questions?.[0];
    if (q === undefined || (msg[2]! & 0x80) !== 0) return [];
    const name = q.name.toLowerCase().replace(/\.$/, '');
    const qtype = questionType(msg);
    const opt = query.additionals?.find((a) => a.type === 'OPT') as { udpPayloadSize?: number; flags?: number } | undefined;
    const dnssecOk = opt !== undefined && ((opt.flags ?? 0) & dnsPacket.DNSSEC_OK) !== 0;
    queries.push({ name, type: qtype, transport, sourcePort, id: query.id ?? 0, edns: opt !== undefined, dnssecOk });

    if (behaviour === 'drop') return [];
    let reply: Reply = answer(zone, name, qtype, 0, options.loopback ?? false);
    if (behaviour === 'servfail') reply = { rcode: RCODE.SERVFAIL, answers: [], authorities: [] };
    if (behaviour === 'refused') reply = { rcode: RCODE.REFUSED, answers: [], authorities: [] };
    const udp = transport === 'udp';
    let tc = false;
    if (udp && behaviour === 'truncate-always') {
      reply = { ...reply, answers: [], authorities: [] };
      tc = true;
    }
    const id = behaviour === 'wrong-id' ? (query.id ?? 0) ^ 0x5a5a : query.id ?? 0;
    const question = behaviour === 'wrong-question' ? { ...q, name: `x${q.name}` } : q;
    const packet = (answers: Answer[], authorities: Answer[], truncated: boolean): Buffer =>
      dnsPacket.encode({
        type: 'response',
        id,
        flags: (((msg[2]! << 8) | msg[3]!) & dnsPacket.RECURSION_DESIRED) | dnsPacket.RECURSION_AVAILABLE |
          dnsPacket.AUTHORITATIVE_ANSWER | (truncated ? dnsPacket.TRUNCATED_RESPONSE : 0) | reply.rcode,
        questions: [question],
        answers,
        authorities,
        additionals: opt ? [{ name: '.', type: 'OPT', udpPayloadSize: 1232, flags: dnssecOk ? dnsPacket.DNSSEC_OK : 0 } as Answer] : [],
      });
    let out = packet(reply.answers, reply.authorities, tc);
    const limit = opt ? Math.min(Math.max(opt.udpPayloadSize ?? 512, 512), 1232) : 512;
    if (udp && out.length > limit) out = packet([], [], true);
    return [out];
  }

  const spoof = dgram.createSocket('udp4');
  const onUdp = (udp: dgram.Socket) => (msg: Buffer, rinfo: dgram.RemoteInfo) => {
    const replies = respond(msg, 'udp', rinfo.port);
    const from = behaviour === 'spoof-port' ? spoof : udp;
    const send = () => { for (const r of replies) from.send(r, rinfo.port, rinfo.address); };
    if (behaviour === 'slow') later(send);
    else send();
  };
  const later = (fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, delayMs);
    timers.add(t);
  };

  const server = net.createServer((socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const msg = buffered.subarray(2, 2 + buffered.readUInt16BE(0));
        buffered = buffered.subarray(2 + msg.length);
        const replies = respond(Buffer.from(msg), 'tcp', socket.remotePort ?? 0);
        const send = () => {
          for (const r of replies) {
            if (socket.destroyed) return;
            const len = Buffer.alloc(2);
            len.writeUInt16BE(r.length, 0);
            socket.write(Buffer.concat([len, r]));
          }
        };
        if (behaviour === 'slow') later(send);
        else send();
      }
    });
  });

  await new Promise<void>((resolve) => spoof.bind(0, '127.0.0.1', resolve));
  const udp = await bindBoth(server, onUdp);
  const port = udp.address().port;
  return {
    address: '127.0.0.1',
    port,
    queries,
    setZone,
    setBehaviour(b, opts) {
      behaviour = b;
      if (opts?.delayMs !== undefined) delayMs = opts.delayMs;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const c of connections) c.destroy();
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => spoof.close(() => resolve())),
        new Promise<void>((resolve) => server.close(() => resolve())),
      ]);
    },
  };
}

/** UDP on an ephemeral port, TCP on the same number (a new UDP port if that TCP port is taken). */
async function bindBoth(server: net.Server, handler: (udp: dgram.Socket) => (msg: Buffer, rinfo: dgram.RemoteInfo) => void): Promise<dgram.Socket> {
  for (let tries = 0; tries < 20; tries++) {
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    const port = udp.address().port;
    const ok = await new Promise<boolean>((resolve) => {
      const onError = () => resolve(false);
      server.once('error', onError);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', onError);
        resolve(true);
      });
    });
    if (ok) {
      udp.on('message', handler(udp));
      return udp;
    }
    await new Promise<void>((resolve) => udp.close(() => resolve()));
  }
  throw new Error('dns fixture: no port free for both UDP and TCP');
}
