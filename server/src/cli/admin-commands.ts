/**
 * `audit-trail admin ...`: the admin API from the command line (AUDIT_TRAIL_BASE_URL, AUDIT_TRAIL_ADMIN_TOKEN).
 * A secret or key is printed once, by the command that creates it, with a note that it will not be shown again;
 * listings never contain one (the API does not return them).
 */
import { type ErrorBody } from '@audit-trail/sdk/contract';
import {
  ADMIN_PATHS,
  type AdminApplication,
  type AdminApplicationsResponse,
  type AdminHooksResponse,
  type ApplicationKeysResponse,
  type CreatedApplicationKey,
  type CreatedOrganization,
  type OrganizationsResponse,
  type RotatedSecret,
} from '../admin-contract.js';
import { CLI_DEFAULTS, ENV, UsageError } from './environment.js';

type Env = Readonly<Record<string, string | undefined>>;
type Out = (line: string) => void;

/** Options `admin` takes. */
export interface AdminOptions {
  name?: string;
  id?: string;
  'app-name'?: string;
  org?: string;
  app?: string;
  'grace-seconds'?: string;
  key?: string;
  hook?: string;
  json?: boolean;
}

export const ADMIN_USAGE = `admin commands (need AUDIT_TRAIL_ADMIN_TOKEN, and AUDIT_TRAIL_BASE_URL):
  admin org create --name N [--id I] [--app-name A]   prints the organization secret once
  admin org list
  admin org rotate-secret --org O [--grace-seconds S] prints the new secret once; the old one stays valid S s (default 86400)
  admin app create --org O --name N [--id I]
  admin app list --org O
  admin key create --org O --app A                    a per-application API key, printed once
  admin key list --org O --app A
  admin key delete --org O --app A --key K
  admin hook list --org O --app A
  admin hook delete --hook H`;

const SHOWN_ONCE = 'Store it now: the server keeps only a hash and will not show it again.';

function need(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`this admin command needs --${flag}`);
  return value;
}

async function call<T>(env: Env, method: string, path: string, body?: unknown): Promise<T | undefined> {
  const token = env[ENV.adminToken];
  if (!token) throw new UsageError(`Set ${ENV.adminToken} (the server's admin token)`, false);
  const baseUrl = (env[ENV.baseUrl] || CLI_DEFAULTS.baseUrl).replace(/\/+$/, '');
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) {
    let detail = `HTTP ${response.status}`;
    try {
      const { error } = JSON.parse(text) as ErrorBody;
      detail = `${error.code}: ${error.message}`;
    } catch {
      // Not our error shape (e.g. a proxy's page): the status is all there is.
    }
    if (response.status === 404 && path.startsWith('/api/admin/organizations') && method === 'GET' && path === ADMIN_PATHS.organizations) {
      detail += ' (is the admin API enabled? the server needs AUDIT_TRAIL_ADMIN_TOKEN)';
    }
    throw new Error(`admin ${method} ${path} failed: ${detail}`);
  }
  return text === '' ? undefined : (JSON.parse(text) as T);
}

const applicationLine = (a: AdminApplication) => `${a.id}\t${a.name}\tcreated ${a.createdAt}`;

/** Runs `admin <noun> <verb>`; resolves with the exit code. */
export async function adminCommand(args: readonly string[], options: AdminOptions, env: Env, out: Out): Promise<number> {
  const [noun, verb, ...extra] = args;
  if (extra.length > 0) throw new UsageError(`admin takes no further arguments, got: ${extra.join(' ')}`);
  const print = (value: unknown, human: () => void) => (options.json ? out(JSON.stringify(value, null, 2)) : human());
  switch (`${noun ?? ''} ${verb ?? ''}`) {
    case 'org create': {
      const body = { name: need(options.name, 'name'), ...(options.id ? { id: options.id } : {}), ...(options['app-name'] ? { applicationName: options['app-name'] } : {}) };
      const created = (await call<CreatedOrganization>(env, 'POST', ADMIN_PATHS.organizations, body))!;
      print(created, () => {
        out(`Organization ${created.organization.id} (${created.organization.name}) created.`);
        if (created.application) out(`Application ${created.application.id} (${created.application.name}) created.`);
        out(`export ${ENV.organizationId}='${created.organization.id}'`);
        out(`export ${ENV.apiSecret}='${created.apiSecret}'`);
        if (created.application) out(`export ${ENV.applicationId}='${created.application.id}'`);
        out(SHOWN_ONCE);
      });
      return 0;
    }
    case 'org list': {
      const { organizations } = (await call<OrganizationsResponse>(env, 'GET', ADMIN_PATHS.organizations))!;
      print({ organizations }, () => {
        for (const o of organizations) {
          out(`${o.id}\t${o.name}\tcreated ${o.createdAt}${o.previousSecretValidUntil ? `\tprevious secret valid until ${o.previousSecretValidUntil}` : ''}`);
        }
      });
      return 0;
    }
    case 'org rotate-secret': {
      const grace = options['grace-seconds'];
      const graceSeconds = grace === undefined ? undefined : Number(grace);
      if (graceSeconds !== undefined && (!Number.isInteger(graceSeconds) || graceSeconds < 0)) {
        throw new UsageError(`--grace-seconds must be a whole number of seconds, got "${grace}"`);
      }
      const org = need(options.org, 'org');
      const rotated = (await call<RotatedSecret>(env, 'POST', ADMIN_PATHS.rotateSecret(org), graceSeconds === undefined ? {} : { graceSeconds }))!;
      print(rotated, () => {
        out(`export ${ENV.apiSecret}='${rotated.apiSecret}'`);
        out(`The previous secret stays valid until ${rotated.previousSecretValidUntil}. ${SHOWN_ONCE}`);
      });
      return 0;
    }
    case 'app create': {
      const org = need(options.org, 'org');
      const created = (await call<AdminApplication>(env, 'POST', ADMIN_PATHS.applications(org), { name: need(options.name, 'name'), ...(options.id ? { id: options.id } : {}) }))!;
      print(created, () => out(applicationLine(created)));
      return 0;
    }
    case 'app list': {
      const { applications } = (await call<AdminApplicationsResponse>(env, 'GET', ADMIN_PATHS.applications(need(options.org, 'org'))))!;
      print({ applications }, () => applications.forEach((a) => out(applicationLine(a))));
      return 0;
    }
    case 'key create': {
      const created = (await call<CreatedApplicationKey>(env, 'POST', ADMIN_PATHS.applicationKeys(need(options.org, 'org'), need(options.app, 'app'))))!;
      print(created, () => {
        out(`Key ${created.key.id} for application ${created.key.applicationId}:`);
        out(`export ${ENV.apiSecret}='${created.apiKey}'`);
        out(SHOWN_ONCE);
      });
      return 0;
    }
    case 'key list': {
      const { keys } = (await call<ApplicationKeysResponse>(env, 'GET', ADMIN_PATHS.applicationKeys(need(options.org, 'org'), need(options.app, 'app'))))!;
      print({ keys }, () => keys.forEach((k) => out(`${k.id}\tapplication ${k.applicationId}\tcreated ${k.createdAt}`)));
      return 0;
    }
    case 'key delete':
      await call(env, 'DELETE', ADMIN_PATHS.applicationKey(need(options.org, 'org'), need(options.app, 'app'), need(options.key, 'key')));
      out(`Key ${options.key} deleted.`);
      return 0;
    case 'hook list': {
      const { hooks } = (await call<AdminHooksResponse>(env, 'GET', ADMIN_PATHS.hooks(need(options.org, 'org'), need(options.app, 'app'))))!;
      print({ hooks }, () =>
        hooks.forEach((h) => out(`${h.id}\t${h.targetUrl}\tactor=${h.actorId ?? '*'} action=${h.action ?? '*'} entityType=${h.entityType ?? '*'}\tcreated ${h.createdAt}`)),
      );
      return 0;
    }
    case 'hook delete':
      await call(env, 'DELETE', ADMIN_PATHS.hook(need(options.hook, 'hook')));
      out(`Webhook subscription ${options.hook} deleted.`);
      return 0;
    default:
      throw new UsageError(`unknown admin command "${[noun, verb].filter(Boolean).join(' ')}"\n\n${ADMIN_USAGE}`, false);
  }
}
