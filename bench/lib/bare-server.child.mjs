// The baseline: the least a Node HTTP server can do to answer with a given body. Plain JavaScript run
// by plain `node`, with no loader, so nothing but node:http stands between the socket and the bytes.
// Usage: node bare-server.child.mjs <body file> <content type> <port> <host>
import fs from 'node:fs';
import http from 'node:http';

const [file, contentType, port, host] = process.argv.slice(2);
const body = fs.readFileSync(file);
const headers = { 'content-type': contentType, 'content-length': String(body.length) };

http
  .createServer((request, response) => {
    response.writeHead(200, headers);
    response.end(body);
  })
  .listen(Number(port), host);

process.once('SIGTERM', () => process.exit(0));
