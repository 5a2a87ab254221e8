/**
 * The file `salon import` reads: JSON `{"users":[{"jid","password","roster":[{"jid","name","groups",
 * "subscription"}]}]}` or CSV lines `jid,password`. Everything is checked before anything is
 * written, and every problem is reported with where it is, so a bad file imports nothing.
 */
import * as z from 'zod';
import { err, ok, type Result } from '../errors/index.js';
import { parseJid, type Jid } from '../jid/index.js';
import { parseCsvRecords } from './csv-records.js';

/** RFC 6121 §2.1.2.5 subscription states an imported contact may have. */
export const IMPORT_SUBSCRIPTIONS = ['none', 'to', 'from', 'both'] as const;
export type ImportedSubscription = (typeof IMPORT_SUBSCRIPTIONS)[number];

/** One roster item to import; the JID is bare and normalised. */
export interface ImportedContact {
  jid: Jid;
  name?: string;
  groups: string[];
  subscription: ImportedSubscription;
}

/** One account to import; `roster` undefined leaves any stored roster as it is. */
export interface ImportEntry {
  jid: Jid;
  password: string;
  roster: ImportedContact[] | undefined;
}

/** At most this many problems are listed; the count says how many more there were. */
const MAX_PROBLEMS = 20;

const contactSchema = z.object({
  jid: z.string().min(1),
  name: z.string().optional(),
  groups: z.array(z.string().min(1)).default(() => []),
  // Without a subscription the contact is listed but shares no presence either way (RFC 6121 §2.1.2.5).
  subscription: z.enum(IMPORT_SUBSCRIPTIONS).default('none'),
});
const userSchema = z.object({
  jid: z.string().min(1),
  password: z.string().min(1),
  roster: z.array(contactSchema).optional(),
});
const fileSchema = z.object({ users: z.array(userSchema) });

type RawUser = z.output<typeof userSchema>;

/** Which format a file is in: by extension, else by its first character. */
export function detectFormat(path: string, text: string): 'json' | 'csv' {
  const lower = path.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.csv')) return 'csv';
  return text.trimStart().startsWith('{') ? 'json' : 'csv';
}

/** Parses and checks an import file; the error lists the problems, one line each. */
export function parseImportFile(text: string, format: 'json' | 'csv'): Result<ImportEntry[], string[]> {
  const users = format === 'json' ? readJson(text) : readCsv(text);
  if (!users.ok) return users;
  return checkUsers(users.value);
}

function readJson(text: string): Result<RawUser[], string[]> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return err([`not valid JSON: ${(error as Error).message}`]);
  }
  const parsed = fileSchema.safeParse(value);
  if (parsed.success) return ok(parsed.data.users);
  return err(parsed.error.issues.slice(0, MAX_PROBLEMS).map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`));
}

/** CSV: `jid,password` per record; a first record `jid,password` is a header and skipped. */
function readCsv(text: string): Result<RawUser[], string[]> {
  const records = parseCsvRecords(text);
  if (!records.ok) return err([records.error]);
  const users: RawUser[] = [];
  const problems: string[] = [];
  for (const { line, fields } of records.value) {
    if (users.length === 0 && problems.length === 0 && fields[0]?.trim().toLowerCase() === 'jid') continue;
    const [jid, password, ...extra] = fields;
    if (jid === undefined || password === undefined || password === '' || extra.length > 0) {
      problems.push(`line ${line}: expected two fields, jid,password`);
      continue;
    }
    users.push({ jid: jid.trim(), password, roster: undefined });
  }
  return problems.length > 0 ? err(capped(problems)) : ok(users);
}

function checkUsers(raw: RawUser[]): Result<ImportEntry[], string[]> {
  const problems: string[] = [];
  const seen = new Set<string>();
  const entries: ImportEntry[] = [];
  for (const [index, user] of raw.entries()) {
    const where = `users.${index} (${user.jid})`;
    const jid = parseJid(user.jid);
    if (!jid.ok || jid.value.local === '' || !jid.value.isBare) {
      problems.push(`${where}: not a user JID (user@host)`);
      continue;
    }
    const key = jid.value.toString();
    if (seen.has(key)) problems.push(`${where}: listed twice`);
    seen.add(key);
    const roster = user.roster === undefined ? undefined : checkRoster(user.roster, where, problems);
    entries.push({ jid: jid.value, password: user.password, roster });
  }
  return problems.length > 0 ? err(capped(problems)) : ok(entries);
}

function checkRoster(items: z.output<typeof contactSchema>[], where: string, problems: string[]): ImportedContact[] {
  const contacts = new Map<string, ImportedContact>();
  for (const [index, item] of items.entries()) {
    const jid = parseJid(item.jid);
    // RFC 6121 §2.1.2.2: a roster item's JID is a bare JID.
    if (!jid.ok || !jid.value.isBare) {
      problems.push(`${where}: roster.${index}: "${item.jid}" is not a bare JID`);
      continue;
    }
    const key = jid.value.toString();
    if (contacts.has(key)) problems.push(`${where}: roster.${index}: ${key} is listed twice`);
    const contact: ImportedContact = { jid: jid.value, groups: [...new Set(item.groups)], subscription: item.subscription };
    if (item.name !== undefined && item.name !== '') contact.name = item.name;
    contacts.set(key, contact);
  }
  return [...contacts.values()];
}

function capped(problems: string[]): string[] {
  if (problems.length <= MAX_PROBLEMS) return problems;
  return [...problems.slice(0, MAX_PROBLEMS), `… and ${problems.length - MAX_PROBLEMS} more problems`];
}
