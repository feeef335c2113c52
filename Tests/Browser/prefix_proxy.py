"""A reverse proxy that puts the gateway under a path prefix, as a shop's web server would.

Requests for PREFIX/... reach the gateway as /...; anything else gets 404. WebSocket upgrades are
spliced through once their request head is rewritten. Only for the browser test: it reads request
heads and the bodies their Content-Length announces (the dashboard's POSTs; no chunked uploads)
and passes responses through untouched.
"""

import asyncio


class PrefixProxy:
    def __init__(self, prefix, upstream_port):
        self.prefix = prefix.rstrip("/")
        self.upstream_port = upstream_port
        self.server = None

    async def start(self):
        self.server = await asyncio.start_server(self.serve, "127.0.0.1", 0)
        return self.server.sockets[0].getsockname()[1]

    async def serve(self, client_reader, client_writer):
        upstream_writer = None
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
            responses = asyncio.create_task(self.pipe(upstream_reader, client_writer))
            while True:
                head = await client_reader.readuntil(b"\r\n\r\n")
                request_line, rest = head.split(b"\r\n", 1)
                method, target, version = request_line.decode("latin-1").split(" ", 2)
                if target != self.prefix and not target.startswith(self.prefix + "/"):
                    body = b'{"error":"outside the prefix"}'
                    client_writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
                    await client_writer.drain()
                    continue
                target = target[len(self.prefix):] or "/"
                length = next((int(line.split(b":", 1)[1]) for line in rest.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), 0)
                body = await client_reader.readexactly(length) if length else b""
                upstream_writer.write(f"{method} {target} {version}\r\n".encode("latin-1") + rest + body)
                await upstream_writer.drain()
                if b"\r\nupgrade: websocket" in rest.lower():
                    await self.pipe(client_reader, upstream_writer)
                    break
            await responses
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            for writer in (client_writer, upstream_writer):
                if writer is not None:
                    writer.close()

    @staticmethod
    async def pipe(reader, writer):
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()
