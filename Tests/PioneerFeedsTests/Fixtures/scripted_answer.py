#!/usr/bin/env python3
# A server on 127.0.0.1 that answers every connection with the bytes of a file, once it has
# read the request's head, and appends each request line to a log: for answers no HTTP
# framework will send (a proxy refusing a CONNECT, a chunked body with odd trailer fields).
# Prints its port on the first line of stdout. Usage: scripted_answer.py ANSWER_FILE LOG_FILE
import socket
import sys
import threading

answer = open(sys.argv[1], "rb").read()
log_path = sys.argv[2]
lock = threading.Lock()
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(("127.0.0.1", 0))
listener.listen(16)
print(listener.getsockname()[1], flush=True)


def serve(connection):
    with connection:
        head = b""
        while b"\r\n\r\n" not in head and len(head) < 65536:
            chunk = connection.recv(65536)
            if not chunk:
                return
            head += chunk
        with lock, open(log_path, "a") as log:
            log.write(head.split(b"\r\n")[0].decode("latin-1") + "\n")
        connection.sendall(answer)


while True:
    connection, _ = listener.accept()
    threading.Thread(target=serve, args=(connection,), daemon=True).start()
