/** Test credentials, in a module without nock: loading nock swaps the sockets of every request it sees. */
export const BASE_URL = 'http://audit.test';
export const ORG = 'org-1';
/** Distinctive so a leak is easy to spot in any string. */
export const SECRET = 'sup3r-s3cret-Value-9f8e7d';
export const APP = 'app-1';
/** The Basic value a correct client sends. */
export const BASIC = `Basic ${Buffer.from(`${ORG}:${SECRET}`).toString('base64')}`;
export const BASIC_B64 = BASIC.slice('Basic '.length);
