// Every word the proxy's pages show, in one place, so that a school can change them later. Plain
// text only (the renderer escapes it); `{name}` marks where a value goes. Written for pupils.

export type ErrorPageKind =
  | 'bad-request'
  | 'port-not-allowed'
  | 'not-found'
  | 'method-not-allowed'
  | 'auth-required'
  | 'request-timeout'
  | 'expectation-failed'
  | 'too-many-connections'
  | 'headers-too-large'
  | 'not-implemented'
  | 'upstream-unreachable'
  | 'service-unavailable'
  | 'upstream-timeout';

export interface ErrorText {
  readonly title: string;
  /** What happened; may use {host} ("this site" when not known) and {port}. */
  readonly explain: string;
  /** What to do next. */
  readonly advice: string;
}

export interface PageText {
  readonly block: {
    readonly title: string;
    /** {category}: the category's name in plain words. */
    readonly because: string;
    /** When no category is known (a school rule naming the site, say). */
    readonly becauseNoCategory: string;
    /** {covers}: what the category covers. */
    readonly covers: string;
    readonly whatNow: string;
    readonly askTeacher: string;
    readonly unblockLink: string;
    readonly unblockWho: string;
  };
  readonly facts: { readonly site: string; readonly time: string; readonly reference: string; readonly details: string };
  readonly reportLink: string;
  readonly reportWho: string;
  readonly referenceHelp: string;
  readonly footer: string;
  readonly errors: Readonly<Record<ErrorPageKind, ErrorText>>;
}

export const PAGE_TEXT: PageText = {
  block: {
    title: 'This site is blocked',
    because: 'This site is blocked at school because it is in the category: {category}.',
    becauseNoCategory: 'This site is blocked at school because it is not allowed at school.',
    covers: 'This category covers {covers}.',
    whatNow: 'What can I do?',
    askTeacher: 'If you need this site for your school work, ask your teacher.',
    unblockLink: 'Ask for this site to be unblocked',
    unblockWho: 'for teachers',
  },
  facts: { site: 'Site', time: 'Time', reference: 'Reference', details: 'Details' },
  reportLink: 'Report a problem',
  reportWho: 'anyone can use this if the page looks wrong',
  referenceHelp: 'If you ask a member of staff about this page, give them the reference above.',
  footer: "The school's online safety filter",
  errors: {
    'bad-request': {
      title: 'The request could not be understood',
      explain: 'Your browser sent something the school filter could not understand, so it was not sent on.',
      advice: 'Try again. If it keeps happening, report a problem.',
    },
    'port-not-allowed': {
      title: 'This address is not allowed',
      explain: 'Connections to port {port} go through the school filter only when the school allows it.',
      advice: 'Check the address. If you need it for school work, ask your teacher.',
    },
    'not-found': {
      title: 'Page not found',
      explain: 'The school filter has no page at this address.',
      advice: 'Check the address and try again.',
    },
    'method-not-allowed': {
      title: 'This kind of request is not allowed',
      explain: 'Your browser asked for something the school filter does not pass on.',
      advice: 'Try again. If it keeps happening, report a problem.',
    },
    'auth-required': {
      title: 'Please sign in',
      explain: 'You need to sign in with your school account to use the internet here.',
      advice: 'Enter your school username and password when your browser asks for them.',
    },
    'request-timeout': {
      title: 'The request took too long',
      explain: 'Your browser did not finish sending its request in time.',
      advice: 'Try again.',
    },
    'expectation-failed': {
      title: 'The request could not be sent',
      explain: 'Your browser asked for something the school filter cannot do.',
      advice: 'Try again. If it keeps happening, report a problem.',
    },
    'too-many-connections': {
      title: 'Too many connections',
      explain: 'This device has too many connections open through the school filter at once.',
      advice: 'Close some tabs or apps, wait a minute, then try again.',
    },
    'headers-too-large': {
      title: 'The request was too large',
      explain: 'Your browser sent more information than the school filter accepts in one request.',
      advice: 'Clearing the cookies for {host} often fixes this. Then try again.',
    },
    'not-implemented': {
      title: 'This is not supported',
      explain: 'Your browser asked for something the school filter does not support.',
      advice: 'Try again. If it keeps happening, report a problem.',
    },
    'upstream-unreachable': {
      title: 'The site could not be reached',
      explain: 'The school filter could not connect to {host}. The site may be down, or the address may be wrong.',
      advice: 'Check the address, wait a few minutes, then try again.',
    },
    'service-unavailable': {
      title: 'The filter is busy',
      explain: 'The school filter cannot take this request just now.',
      advice: 'Wait a minute, then try again.',
    },
    'upstream-timeout': {
      title: 'The site took too long to answer',
      explain: 'The school filter did not get an answer from {host} in time.',
      advice: 'Wait a few minutes, then try again.',
    },
  },
};

export interface CategoryWords {
  /** The category's name, as a pupil would say it. */
  readonly name: string;
  /** What it covers, to finish "This category covers …"; null: not known. */
  readonly covers: string | null;
}

/** Plain words for the default pack's categories (packs/default/policy-pack.yaml). */
export const CATEGORY_WORDS: Readonly<Record<string, CategoryWords>> = {
  'child-abuse': { name: 'Harmful and illegal', covers: 'material that harms children, which is against the law' },
  'extreme-pornography': { name: 'Illegal adult content', covers: 'images that are against the law' },
  'criminal-hate': { name: 'Hate', covers: 'material that stirs up hatred against people because of who they are' },
  terrorism: { name: 'Terrorism', covers: 'material that supports terrorism, which is against the law' },
  pornography: { name: 'Adult content', covers: 'sexual material that is for adults only' },
  discrimination: { name: 'Discrimination', covers: 'material that treats people unfairly because of who they are' },
  violence: { name: 'Violence and weapons', covers: 'violence, weapons and ways of hurting people' },
  extremism: { name: 'Extremism', covers: 'material that pushes extreme views' },
  offensive: { name: 'Not suitable for school', covers: 'things like dating, drugs, vaping and fake news' },
  'cyber-crime': { name: 'Hacking and scams', covers: 'hacking, viruses, tricks to steal passwords, and scams' },
  'filter-bypass': { name: 'Getting round the filter', covers: 'VPNs, proxies and other ways round the filter that keeps you safe' },
  'confidential-data': { name: 'Sharing private information', covers: 'sites where private information is posted for anyone to see' },
  'unfair-usage': { name: 'Large downloads', covers: 'big downloads that slow the internet down for everyone' },
  'private-business': { name: 'Trading and cryptocurrency', covers: 'buying and selling shares and cryptocurrency' },
  copyright: { name: 'Piracy', covers: 'films, music, games or software shared without permission' },
  'educational-games': { name: 'Learning games', covers: 'learning games, which are open at certain times only' },
  games: { name: 'Games', covers: 'online games' },
  gambling: { name: 'Gambling', covers: 'betting and gambling' },
  shopping: { name: 'Shopping', covers: 'online shops' },
  'file-sharing': { name: 'File sharing', covers: 'sites for storing and sending files' },
  'social-media': { name: 'Social media', covers: 'social networks and blogs' },
  'class-dojo': { name: 'Class Dojo', covers: 'Class Dojo, which is for staff' },
  messaging: { name: 'Chat and personal email', covers: 'chat, messaging apps and personal email' },
  video: { name: 'Video sites', covers: 'video and streaming sites such as YouTube' },
  'education-and-health': { name: 'Education, health and support', covers: 'education, health, wellbeing and support services' },
  news: { name: 'News', covers: 'news sites' },
  'essential-services': { name: 'Essential services', covers: 'services that school computers need to work' },
};

/**
 * The words to show for a category: the plain words above, else the policy's own title (and
 * description), else null (the page then says the site is "not allowed at school").
 */
export function categoryWords(id: string | null, title?: string | null, description?: string | null): CategoryWords | null {
  const known = id !== null && Object.hasOwn(CATEGORY_WORDS, id) ? CATEGORY_WORDS[id] : undefined;
  if (known) return known;
  const name = title?.trim();
  if (!name) return null;
  const covers = description?.trim();
  return { name, covers: covers ? covers : null };
}
