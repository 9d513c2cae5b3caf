// `npm run user -- add --email EMAIL --role viewer|editor|admin [--name NAME] [--password PASSWORD]`
// `npm run user -- list` · `npm run user -- set-role --email EMAIL --role ROLE` · `npm run user -- reset-password --email EMAIL`
// Uses the same database as the server (DATABASE_URL, or the PGlite in DATA_DIR, which must not be in use).
import { parseArgs } from "node:util";
import { openDatabase } from "@/db/client";
import { generatePassword } from "@/lib/auth/passwords";
import { ROLES, type Role } from "@/lib/auth/scopes";
import { getEnv } from "@/lib/env";
import { EMAIL_REGEX } from "@/lib/schemas/common";
import { createUser, listUsers, normalizeEmail, updateUser } from "@/lib/users/users";

function fail(message: string): never {
  process.stderr.write(`user: ${message}\n`);
  process.stderr.write(
    "usage: npm run user -- add --email EMAIL --role viewer|editor|admin [--name NAME] [--password PASSWORD]\n" +
      "       npm run user -- list | set-role --email EMAIL --role ROLE | reset-password --email EMAIL [--password P]\n",
  );
  process.exit(2);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      email: { type: "string" },
      role: { type: "string" },
      name: { type: "string" },
      password: { type: "string" },
    },
  });
  const command = positionals[0];
  if (!command || !["add", "list", "set-role", "reset-password"].includes(command))
    fail(`unknown command "${command ?? ""}"`);
  const role = values.role as Role | undefined;
  if (role !== undefined && !ROLES.includes(role))
    fail(`--role must be one of ${ROLES.join(", ")}`);
  if (command !== "list" && !values.email) fail("--email is required");
  if (command === "add" && !EMAIL_REGEX.test(values.email!.trim()))
    fail("--email must look like name@example.com or admin@localhost (one @, no spaces)");
  if (values.password !== undefined && values.password.length < 8)
    fail("--password must be at least 8 characters");

  const env = getEnv();
  const database = await openDatabase({
    url: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    seedDemo: false,
  });
  try {
    const q = database.query;
    if (command === "list") {
      for (const u of await listUsers(q))
        process.stdout.write(`${u.email}\t${u.role}${u.disabled ? "\tdisabled" : ""}\n`);
      return;
    }
    if (command === "add") {
      if (!role) fail("--role is required");
      const password = values.password ?? generatePassword();
      const user = await createUser(
        q,
        { email: values.email!, name: values.name, role, password },
        "cli",
      );
      process.stdout.write(`added ${user.email} (${user.role})\n`);
      if (!values.password) process.stdout.write(`password: ${password}\n`);
      return;
    }
    const [found] = await q<{ id: string }>(`select id from users where email = $1`, [
      normalizeEmail(values.email!),
    ]);
    if (!found) fail(`no user with email "${values.email}"`);
    if (command === "set-role") {
      if (!role) fail("--role is required");
      await updateUser(q, found.id, { role }, "cli");
      process.stdout.write(`${values.email} is now ${role}\n`);
    } else {
      const password = values.password ?? generatePassword();
      await updateUser(q, found.id, { password }, "cli");
      process.stdout.write(
        `password for ${values.email} reset${values.password ? "" : `: ${password}`}\n`,
      );
    }
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => fail((error as Error).message));
