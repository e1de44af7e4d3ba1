// Safe search enforced by name: search engines' own "safe" hosts, reached by a CNAME (DNS) or by
// resolving that host instead (proxy). Search engines that cannot enforce it are blocked by lists.
import type { Policy } from './schema.ts';

export type SafeSearchEngine = 'google' | 'youtube' | 'bing' | 'duckduckgo';

export interface SafeSearchRewrite {
  readonly engine: SafeSearchEngine;
  /** The host to answer with (as a CNAME) instead of the one asked for. */
  readonly target: string;
}

// Every Google search domain answers forcesafesearch.google.com (Google's list of supported domains).
const GOOGLE_TLDS =
  'com ad ae com.af com.ag al am co.ao com.ar as at com.au az ba com.bd be bf bg com.bh bi bj com.bn com.bo com.br bs bt co.bw by com.bz ca cat cd cf cg ch ci co.ck cl cm cn com.co co.cr com.cu cv com.cy cz de dj dk dm com.do dz com.ec ee com.eg es com.et fi com.fj fm fr ga ge gg com.gh com.gi gl gm gr com.gt gy com.hk hn hr ht hu co.id ie co.il im co.in iq is it je com.jm jo co.jp co.ke com.kh ki kg co.kr com.kw kz la com.lb li lk co.ls lt lu lv com.ly co.ma md me mg mk ml com.mm mn com.mt mu mv mw com.mx com.my co.mz com.na com.ng com.ni ne nl no com.np nr nu co.nz com.om com.pa com.pe com.pg com.ph com.pk pl pn com.pr ps pt com.py com.qa ro rs ru rw com.sa com.sb sc se com.sg sh si sk com.sl sn so sm sr st com.sv td tg co.th com.tj tl tm tn to com.tr tt com.tw co.tz com.ua co.ug co.uk com.uy co.uz com.vc co.ve co.vi com.vn vu ws co.za co.zm co.zw'.split(' ');

const GOOGLE = new Set(GOOGLE_TLDS.flatMap((tld) => [`google.${tld}`, `www.google.${tld}`]));
const YOUTUBE = new Set(['www.youtube.com', 'm.youtube.com', 'youtubei.googleapis.com', 'youtube.googleapis.com', 'www.youtube-nocookie.com']);
const BING = new Set(['www.bing.com', 'bing.com']);
const DUCKDUCKGO = new Set(['duckduckgo.com', 'www.duckduckgo.com', 'start.duckduckgo.com']);

export const SAFE_SEARCH_TARGETS = {
  google: 'forcesafesearch.google.com',
  youtubeStrict: 'restrict.youtube.com',
  youtubeModerate: 'restrictmoderate.youtube.com',
  bing: 'strict.bing.com',
  duckduckgo: 'safe.duckduckgo.com',
} as const;

const RANK = { strict: 0, moderate: 1, off: 2 } as const;

/** YouTube's level for these groups: the strictest any of them sets; strict when none says. */
export function youtubeLevel(settings: Policy['safeSearch'], groups: readonly string[]): 'strict' | 'moderate' | 'off' {
  let level: 'strict' | 'moderate' | 'off' | null = null;
  for (const g of groups) {
    const l = settings.youtube[g];
    if (l && (level === null || RANK[l] < RANK[level])) level = l;
  }
  return level ?? 'strict';
}

/** The safe host to send `host` to, or null when the name is not a search engine (or safe search is off). */
export function safeSearchRewrite(host: string, settings: Policy['safeSearch'], groups: readonly string[]): SafeSearchRewrite | null {
  if (!settings.required) return null;
  if (GOOGLE.has(host)) return { engine: 'google', target: SAFE_SEARCH_TARGETS.google };
  if (YOUTUBE.has(host)) {
    const level = youtubeLevel(settings, groups);
    if (level === 'off') return null;
    return { engine: 'youtube', target: level === 'strict' ? SAFE_SEARCH_TARGETS.youtubeStrict : SAFE_SEARCH_TARGETS.youtubeModerate };
  }
  if (BING.has(host)) return { engine: 'bing', target: SAFE_SEARCH_TARGETS.bing };
  if (DUCKDUCKGO.has(host)) return { engine: 'duckduckgo', target: SAFE_SEARCH_TARGETS.duckduckgo };
  return null;
}
