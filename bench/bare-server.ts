// A bare node:http server answering the liveness JSON: the reference for what Next adds per request.
//   node bench/bare-server.ts <port>   (plain JavaScript-compatible TypeScript; run through tsx)
import http from "node:http";

const port = Number(process.argv[2] ?? 0);
const body = '{"status":"ok"}';
const server = http.createServer((req, res) => {
  if (req.url === "/v2/health/live" || req.url === "/v2/health/ready") {
    res.writeHead(200, {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      "content-length": body.length,
    });
    res.end(body);
    return;
  }
  res.writeHead(404).end();
});
server.keepAliveTimeout = 65_000;
server.listen(port, "127.0.0.1", () => console.log(`listening on ${port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
