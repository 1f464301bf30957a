// A static host for the spike's dist (application/wasm for instantiateStreaming). node serve.mjs DIR PORT
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { join, extname, normalize } from "node:path";
const [dir, port] = [process.argv[2], Number(process.argv[3] ?? 8931)];
const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json", ".css": "text/css", ".svg": "image/svg+xml", ".webmanifest": "application/manifest+json" };
createServer(async (req, res) => {
  let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
  if (p.endsWith("/")) p += "index.html";
  try {
    const body = await readFile(join(dir, normalize(p)));
    res.writeHead(200, { "content-type": types[extname(p)] ?? "application/octet-stream" });
    res.end(body);
    console.log(200, p);
  } catch { res.writeHead(404); res.end(); console.log(404, p); }
}).listen(port, "127.0.0.1");
