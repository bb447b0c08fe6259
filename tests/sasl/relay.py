#!/usr/bin/python3
"""A TCP relay that records what passes: relay.py TARGETPORT CAPTURE READYFILE

Listens on 127.0.0.1 (a free port, written to READYFILE once listening),
forwards every connection to 127.0.0.1:TARGETPORT and appends the bytes
of both directions to CAPTURE. Runs until killed.
"""
import select
import socket
import sys
import threading


def pump(client, server, capture, lock):
    socks = [client, server]
    while True:
        readable, _, _ = select.select(socks, [], [])
        for s in readable:
            data = s.recv(65536)
            if not data:
                client.close()
                server.close()
                return
            (server if s is client else client).sendall(data)
            with lock:
                capture.write(data)
                capture.flush()


def main():
    target, capture_path, ready = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    lsock = socket.socket()
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(16)
    lock = threading.Lock()
    capture = open(capture_path, "ab")
    with open(ready + ".tmp", "w") as f:
        f.write(str(lsock.getsockname()[1]))
    import os
    os.rename(ready + ".tmp", ready)
    while True:
        client, _ = lsock.accept()
        server = socket.create_connection(("127.0.0.1", target))
        threading.Thread(target=pump, args=(client, server, capture, lock), daemon=True).start()


if __name__ == "__main__":
    main()
