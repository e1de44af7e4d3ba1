// Malformed and hostile queries, built byte by byte, with what a server must do with each:
// 'drop' (send nothing) or 'formerr' (answer FORMERR with the query's id). Reused by the DNS
// server tests, which send the corpus to a real server. Every formerr case has id 0x1234.

export interface MalformedCase {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly expect: 'drop' | 'formerr';
}

const ID = 0x1234;
const RD = 0x0100;

function header(flags: number, qd: number, an: number, ns: number, ar: number, id = ID): number[] {
  return [id >> 8, id & 0xff, flags >> 8, flags & 0xff, 0, qd, an >> 8, an & 0xff, ns >> 8, ns & 0xff, ar >> 8, ar & 0xff];
}

function name(...labels: string[]): number[] {
  const out: number[] = [];
  for (const l of labels) out.push(l.length, ...[...l].map((c) => c.charCodeAt(0)));
  out.push(0);
  return out;
}

/** A question for example.com/A/IN. */
const QUESTION = [...name('example', 'com'), 0, 1, 0, 1];
/** Offset just after QUESTION in a message. */
const Q_END = 12 + QUESTION.length;

/** An OPT RR: root owner, udp size 1232, DO clear, the given RDATA. */
function opt(rdata: number[] = [], owner: number[] = [0]): number[] {
  return [...owner, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, rdata.length >> 8, rdata.length & 0xff, ...rdata];
}

/** A record of type TXT (16) with the given owner bytes and RDATA. */
function record(owner: number[], rdata: number[], type = 16): number[] {
  return [...owner, type >> 8, type & 0xff, 0, 1, 0, 0, 0, 60, rdata.length >> 8, rdata.length & 0xff, ...rdata];
}

function query(ar: number, ...rest: number[][]): number[] {
  return [...header(RD, 1, 0, 0, ar), ...QUESTION, ...rest.flat()];
}

const long63 = 'a'.repeat(63);

const cases: [string, number[], 'drop' | 'formerr'][] = [
  ['empty message', [], 'drop'],
  ['one byte', [0x12], 'drop'],
  ['header of 11 bytes', header(RD, 1, 0, 0, 0).slice(0, 11), 'drop'],
  ['response bit set', [...header(0x8000 | RD, 1, 0, 0, 0), ...QUESTION], 'drop'],
  ['response bit set with garbage', [...header(0x8180, 9, 9, 9, 9), 0xff, 0xff, 0xff], 'drop'],
  ['header only, qdcount 1', header(RD, 1, 0, 0, 0), 'formerr'],
  ['qdcount 0', header(RD, 0, 0, 0, 0), 'formerr'],
  ['qdcount 0 with a question', [...header(RD, 0, 0, 0, 0), ...QUESTION], 'formerr'],
  ['qdcount 2', [...header(RD, 2, 0, 0, 0), ...QUESTION, ...QUESTION], 'formerr'],
  ['qdcount 65535', [...header(RD, 0, 0, 0, 0).map((b, i) => (i === 4 || i === 5 ? 0xff : b)), ...QUESTION], 'formerr'],
  ['question name truncated mid-label', [...header(RD, 1, 0, 0, 0), 7, 0x65, 0x78, 0x61], 'formerr'],
  ['question name without its terminating zero', [...header(RD, 1, 0, 0, 0), 3, 0x63, 0x6f, 0x6d], 'formerr'],
  ['question without type and class', [...header(RD, 1, 0, 0, 0), ...name('example', 'com')], 'formerr'],
  ['question with the class cut off', [...header(RD, 1, 0, 0, 0), ...name('example', 'com'), 0, 1, 0], 'formerr'],
  ['compression pointer in the question', [...header(RD, 1, 0, 0, 0), 0xc0, 0x0c, 0, 1, 0, 1], 'formerr'],
  ['pointer after a label in the question', [...header(RD, 1, 0, 0, 0), 3, 0x77, 0x77, 0x77, 0xc0, 0x00, 0, 1, 0, 1], 'formerr'],
  ['label length 64', [...header(RD, 1, 0, 0, 0), ...name('a'.repeat(64)), 0, 1, 0, 1], 'formerr'],
  ['extended label type 0x40', [...header(RD, 1, 0, 0, 0), 0x41, 0x00, 0, 0, 1, 0, 1], 'formerr'],
  ['reserved label type 0x80', [...header(RD, 1, 0, 0, 0), 0x80, 0x01, 0, 0, 1, 0, 1], 'formerr'],
  ['name of 256 wire bytes', [...header(RD, 1, 0, 0, 0), ...name(long63, long63, long63, 'a'.repeat(62)), 0, 1, 0, 1], 'formerr'],
  ['name of 320 wire bytes', [...header(RD, 1, 0, 0, 0), ...name(long63, long63, long63, long63, long63), 0, 1, 0, 1], 'formerr'],
  ['answer count in a query', [...header(RD, 1, 1, 0, 0), ...QUESTION, ...record([0], [1, 0x61])], 'formerr'],
  ['authority count in a query', [...header(RD, 1, 0, 1, 0), ...QUESTION, ...record([0], [1, 0x61])], 'formerr'],
  ['additional count without records', query(1), 'formerr'],
  ['arcount 65535 with one OPT', [...header(RD, 1, 0, 0, 0xffff), ...QUESTION, ...opt()], 'formerr'],
  ['truncated OPT', query(1, opt().slice(0, 7)), 'formerr'],
  ['OPT rdlength past the end', query(1, opt([0, 10, 0, 8, 1, 2]).slice(0, 15)), 'formerr'],
  ['two OPTs', query(2, opt(), opt()), 'formerr'],
  ['OPT with a non-root owner', query(1, opt([], name('x'))), 'formerr'],
  ['OPT owner is a pointer', query(1, opt([], [0xc0, 0x0c])), 'formerr'],
  ['OPT option longer than its RDATA', query(1, opt([0, 10, 0, 9, 1, 2, 3, 4])), 'formerr'],
  ['OPT with a partial option header', query(1, opt([0, 10, 0])), 'formerr'],
  ['trailing garbage after the question', [...query(0), 0xde, 0xad], 'formerr'],
  ['trailing garbage after the OPT', [...query(1, opt()), 0], 'formerr'],
  ['additional record running past the end', query(1, record(name('k'), [1, 2, 3, 4]).slice(0, 16)), 'formerr'],
  ['pointer to itself in an additional owner', query(1, record([0xc0, Q_END], [])), 'formerr'],
  // Record 1's RDATA (at Q_END+11) points at record 2's owner (Q_END+13), which points back.
  ['pointer loop in additional', query(2, record([0], [0xc0, Q_END + 13]), record([0xc0, Q_END + 11], [])), 'formerr'],
  ['forward pointer in additional', query(2, record([0xc0, Q_END + 12], []), record(name('k'), [])), 'formerr'],
  ['pointer into the header in additional', query(1, record([0xc0, 0x02], [])), 'formerr'],
  ['pointer beyond the message in additional', query(1, record([0xff, 0xff], [])), 'formerr'],
  ['additional owner with label length 64', query(1, record(name('b'.repeat(64)), [])), 'formerr'],
  ['oversized message: 65535 bytes of padding', [...query(0), ...new Array<number>(65535 - Q_END).fill(0)], 'formerr'],
];

export const MALFORMED: MalformedCase[] = cases.map(([n, bytes, expect]) => ({ name: n, bytes: Uint8Array.from(bytes), expect }));

/** The id every formerr case carries. */
export const MALFORMED_ID = ID;
