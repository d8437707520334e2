# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A slow network in front of the simulator: ``LatencyProxy``, a TCP proxy that delays every chunk."""

import contextlib
import socket
import threading
import time


class LatencyProxy:
    """A TCP proxy on 127.0.0.1 in front of ``target_port`` that delays every chunk, each way, by ``delay`` seconds.

    A request and its answer so take ``2 * delay`` seconds longer; the first chunk of a
    connection waits a round trip more, as a TCP handshake costs one. ``port`` is where it
    listens; ``close()`` stops accepting connections.
    """

    def __init__(self, target_port, delay):
        self.target_port = target_port
        self.delay = delay
        self.listener = socket.create_server(('127.0.0.1', 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _dummy = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(('127.0.0.1', self.target_port))
            threading.Thread(target=self._pump, args=(client, upstream, 2 * self.delay), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    def _pump(self, source, destination, handshake=0.0):
        try:
            while True:
                chunk = source.recv(65536)
                if not chunk:
                    break
                time.sleep(self.delay + handshake)
                handshake = 0.0
                destination.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, destination):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def close(self):
        self.listener.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
