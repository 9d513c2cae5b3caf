// Runs once when the server starts: opens the database (migrations, demo seed) before the first request,
// so a bad configuration or a locked DATA_DIR stops the start with a clear message.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("./lib/server/start");
  await startServer();
}
