// Preload for a CPU profile of a server started with NODE_OPTIONS (which refuses --cpu-prof):
//   NODE_OPTIONS="--import ./bench/cpu-prof-preload.mjs" CPU_PROF_DIR=/tmp/dir node …
// Profiles from start to exit (process.exit included) and writes CPU_PROF_DIR/<pid>.cpuprofile, the same format as
// --cpu-prof (bench/profile-summary.ts reads it). bench/read-path.ts and bench/sse-fanout.ts pass it with PROFILE=.
import fs from "node:fs";
import inspector from "node:inspector";
import path from "node:path";

const dir = process.env.CPU_PROF_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.setSamplingInterval", {
    interval: Number(process.env.CPU_PROF_INTERVAL ?? 1000),
  });
  session.post("Profiler.enable");
  session.post("Profiler.start");
  process.on("exit", () => {
    // The in-process session answers synchronously: the profile is in hand before exit goes on.
    session.post("Profiler.stop", (error, result) => {
      if (error) return;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
