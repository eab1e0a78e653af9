# A TCP proxy in front of PostgreSQL for SilencingPostgresProxy.swift: forwards every connection
# to HOST:PORT, prints the port it listens on (127.0.0.1), and on SIGUSR1 silences every
# connection that has sent a LISTEN so far — nothing more passes either way, and its sockets stay
# open — as a database host that vanished or a firewall that dropped the flow looks to a client.
#
#   python3 silencing-postgres-proxy.py HOST PORT
import asyncio, os, signal, sys

target_host, target_port = sys.argv[1], int(sys.argv[2])
listening, silenced = set(), set()

async def pump(reader, writer, pair, from_client):
    try:
        while data := await reader.read(65536):
            if from_client and b"LISTEN " in data.upper():
                listening.add(pair)
            if pair in silenced:
                continue
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    if pair not in silenced:
        writer.close()

async def handle(client_reader, client_writer):
    server_reader, server_writer = await asyncio.open_connection(target_host, target_port)
    pair = object()
    await asyncio.gather(pump(client_reader, server_writer, pair, True), pump(server_reader, client_writer, pair, False))

async def main():
    # A parent's threads may block signals, and a child inherits the mask.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGUSR1, signal.SIGTERM})
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, lambda: silenced.update(listening))
    print(server.sockets[0].getsockname()[1], flush=True)
    # Ends when standard input closes, so that a test that dies leaves no proxy behind.
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.buffer.read)
    os._exit(0)

asyncio.run(main())
