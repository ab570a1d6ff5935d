#!/usr/bin/env python3
"""browser.py URL [--size WxH] [--eval JS | --screenshot FILE]...

Opens URL in headless Chromium (Debian's /usr/bin/chromium, or $CHROMIUM)
through the DevTools protocol on a pipe (--remote-debugging-pipe: no port,
no network, nothing to install), waits for the load event, then runs the
steps in order: --eval prints the value of a JavaScript expression (a
promise is awaited) on one line; --screenshot writes a PNG of the viewport.
Exits 1 when an expression throws, 69 when Chromium is missing."""
import json
import os
import shutil
import subprocess
import sys
import tempfile


class Browser:
    def __init__(self, width, height):
        exe = os.environ.get("CHROMIUM") or shutil.which("chromium")
        if not exe:
            print("browser.py: chromium not found (Debian: apt-get install chromium)", file=sys.stderr)
            sys.exit(69)
        self.profile = tempfile.mkdtemp(prefix="clusterp-chromium-")
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()
        # Chromium reads commands on fd 3 and writes replies on fd 4.
        def fds():
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)
        self.proc = subprocess.Popen(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
             "--user-data-dir=" + self.profile, "--remote-debugging-pipe",
             "--window-size=%d,%d" % (width, height), "about:blank"],
            preexec_fn=fds, pass_fds=(3, 4),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child_r)
        os.close(from_child_w)
        self.buffer = b""
        self.next_id = 0
        self.session = None
        self.events = []

    def send(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_child, json.dumps(message).encode() + b"\0")
        while True:
            reply = self.receive()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError("%s: %s" % (method, reply["error"].get("message")))
                return reply.get("result", {})
            self.events.append(reply)

    def receive(self):
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_child, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def wait_event(self, method):
        while True:
            for i, event in enumerate(self.events):
                if event.get("method") == method:
                    del self.events[i]
                    return event
            self.events.append(self.receive())

    def open(self, url, width, height):
        targets = self.send("Target.getTargets", session=False)["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.send("Target.attachToTarget", {"targetId": page["targetId"], "flatten": True},
                                 session=False)["sessionId"]
        self.send("Page.enable")
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        self.send("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError("%s: %s" % (expression, result["exceptionDetails"].get("text")))
        return result["result"].get("value")

    def screenshot(self, path):
        import base64
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        with open(path, "wb") as out:
            out.write(base64.b64decode(data))

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except RuntimeError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def main(argv):
    url, steps, width, height = None, [], 1400, 900
    i = 0
    while i < len(argv):
        if argv[i] == "--size":
            width, height = (int(v) for v in argv[i + 1].split("x"))
            i += 2
        elif argv[i] in ("--eval", "--screenshot"):
            steps.append((argv[i], argv[i + 1]))
            i += 2
        else:
            url = argv[i]
            i += 1
    if not url:
        print(__doc__, file=sys.stderr)
        return 64
    browser = Browser(width, height)
    try:
        browser.open(url, width, height)
        for kind, value in steps:
            if kind == "--eval":
                print(browser.evaluate(value), flush=True)
            else:
                browser.screenshot(value)
    except RuntimeError as e:
        print("browser.py: %s" % e, file=sys.stderr)
        return 1
    finally:
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
