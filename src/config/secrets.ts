import { allSettings, type Config } from './settings';

/**
 * Every secret value the configuration holds, for the redactor: the value of each setting the
 * table marks `secret`, and the password in the userinfo of each URL setting
 * (`wss://user:password@host`). Declared once, in the table; every list of secrets comes from
 * here.
 */
export function secretValues(config: Config): string[] {
  const groups = config as unknown as Record<string, Record<string, unknown>>;
  return secretsOf((group, field) => groups[group]?.[field]);
}

/** The same, from the environment as given: for errors raised before there is a `Config`. */
export function secretValuesInEnv(env: NodeJS.ProcessEnv): string[] {
  const byName = new Map(
    allSettings().map(({ group, field, setting }) => [`${group}.${field}`, setting.env]),
  );
  return secretsOf((group, field) => env[byName.get(`${group}.${field}`) ?? '']);
}

function secretsOf(read: (group: string, field: string) => unknown): string[] {
  return allSettings().flatMap(({ group, field, setting }) => {
    const value = read(group, field);
    if (typeof value !== 'string' || value === '') return [];
    if (setting.secret) return [value];
    return setting.userinfoSecret ? userinfoSecrets(value) : [];
  });
}

/**
 * The password of a URL's userinfo, or the user where there is no password (a token given as
 * the user), in every form it may have been given: as written, decoded, and as the URL parser
 * writes it. The userinfo ends at the last `@` before the host; when a password holds a `/`,
 * `?` or `#` the parser would read it otherwise, so the last `@` of all counts too.
 */
export function userinfoSecrets(url: string): string[] {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(url);
  if (!scheme) return [];
  const rest = url.slice(scheme[0].length);
  const byParser = /^([^/?#]*)@/.exec(rest)?.[1];
  const byLastAt = /^(.*)@/s.exec(rest)?.[1];
  const found = new Set<string>();
  if (byParser !== undefined) found.add(passwordOf(byParser));
  if (byLastAt !== undefined && byLastAt !== byParser && byLastAt.includes(':')) {
    found.add(passwordOf(byLastAt));
  }
  try {
    const parsed = new URL(url);
    if (parsed.password || parsed.username) found.add(parsed.password || parsed.username);
  } catch {
    // not a URL: what was written is all there is
  }
  for (const secret of [...found]) found.add(decoded(secret));
  found.delete('');
  return [...found];
}

const passwordOf = (userinfo: string): string => {
  const colon = userinfo.indexOf(':');
  return colon < 0 ? userinfo : userinfo.slice(colon + 1);
};

const decoded = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};
