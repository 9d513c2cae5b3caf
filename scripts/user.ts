// `npm run user -- add --email EMAIL --role viewer|editor|admin [--name NAME] [--password-stdin]`
// `npm run user -- list` · `npm run user -- set-role --email EMAIL --role ROLE`
// `npm run user -- reset-password --email EMAIL [--password-stdin]`
// Passwords never go on the command line (shell history, `ps`): without --password-stdin one is generated and
// printed once; with it, the password is asked for at a terminal (not echoed) or read from the first line of
// standard input when piped. Uses the same database as the server (DATABASE_URL, or the PGlite in DATA_DIR; while a
// server holds DATA_DIR, that server runs the command for it over its socket in DATA_DIR).
import { parseArgs } from "node:util";
import { checkPassword } from "@/lib/shared/password-rule";
import { ROLES, type Role } from "@/lib/shared/scopes";
import { EMAIL_REGEX } from "@/lib/schemas/common";
import type { OperatorRequest } from "@/lib/server/operator/commands";
import { osUserName, printResult, runCommand } from "./operator";

function fail(message: string): never {
  process.stderr.write(`user: ${message}\n`);
  process.stderr.write(
    "usage: npm run user -- add --email EMAIL --role viewer|editor|admin [--name NAME] [--password-stdin]\n" +
      "       npm run user -- list | set-role --email EMAIL --role ROLE | reset-password --email EMAIL [--password-stdin]\n",
  );
  process.exit(2);
}

/** The first line of piped standard input. */
async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "";
}

/** Asks at the terminal without echoing what is typed. */
function prompt(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    let typed = "";
    const done = (value: string | Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off("data", onData);
      process.stderr.write("\n");
      if (value instanceof Error) reject(value);
      else resolve(value);
    };
    const onData = (data: string) => {
      for (const ch of data) {
        if (ch === "\r" || ch === "\n") return done(typed);
        if (ch === "\u0003") return done(new Error("cancelled"));
        if (ch === "\u007f" || ch === "\b") typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    stdin.on("data", onData);
  });
}

async function readPassword(): Promise<string> {
  let password: string;
  if (process.stdin.isTTY) {
    password = await prompt("New password: ");
    const problem = checkPassword(password);
    if (problem) fail(problem);
    if ((await prompt("Repeat it: ")) !== password) fail("the two passwords differ");
  } else {
    password = await readStdinLine();
  }
  const problem = checkPassword(password);
  if (problem) fail(problem);
  return password;
}

async function main(): Promise<void> {
  if (process.argv.slice(2).some((a) => a === "--password" || a.startsWith("--password=")))
    fail(
      "--password on the command line is not accepted (it stays in shell history and shows in `ps`): " +
        "use --password-stdin, which asks for it or reads it from standard input",
    );
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      email: { type: "string" },
      role: { type: "string" },
      name: { type: "string" },
      "password-stdin": { type: "boolean" },
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
  if (command === "add" && !role) fail("--role is required");
  const given = values["password-stdin"] ? await readPassword() : undefined;

  const os_user = osUserName();
  const email = values.email!;
  const request: OperatorRequest =
    command === "list"
      ? { op: "user.list", os_user }
      : command === "add"
        ? { op: "user.add", os_user, email, role: role!, name: values.name, password: given }
        : command === "set-role"
          ? { op: "user.set-role", os_user, email, role: role ?? fail("--role is required") }
          : { op: "user.reset-password", os_user, email, password: given };
  // A new account on a database nobody has started yet: the schema, without the demo data.
  printResult(await runCommand(request, { seedDemo: false }), "user");
}

main().catch((error: unknown) => fail((error as Error).message));
