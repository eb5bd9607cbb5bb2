"""Misbehaving TCP peers for fault tests, run in threads of the test
process: one that accepts connections and never says a word, one that
relays to a real server only after a delay."""
import socket
import threading
import time


class _Listener:
    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.running = True
        self.held = []
        self.thread = threading.Thread(target=self._accept_loop, daemon=True)
        self.thread.start()

    def _accept_loop(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.handle(conn)

    def handle(self, conn):
        raise NotImplementedError

    def stop(self):
        self.running = False
        self.thread.join(2)
        for c in self.held:
            try:
                c.close()
            except OSError:
                pass
        self.sock.close()


class SilentServer(_Listener):
    """Accepts and holds every connection without sending anything."""

    def handle(self, conn):
        self.held.append(conn)


class DelayingProxy(_Listener):
    """Relays each connection to 127.0.0.1:target_port after delay_s."""

    def __init__(self, target_port, delay_s):
        self.target_port = target_port
        self.delay_s = delay_s
        super().__init__()

    def handle(self, conn):
        threading.Thread(target=self._relay, args=(conn,), daemon=True).start()

    def _relay(self, client):
        time.sleep(self.delay_s)
        try:
            server = socket.create_connection(("127.0.0.1", self.target_port),
                                              timeout=5)
        except OSError:
            client.close()
            return
        self.held += [client, server]
        for a, b in ((client, server), (server, client)):
            threading.Thread(target=self._pump, args=(a, b),
                             daemon=True).start()

    @staticmethod
    def _pump(src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
