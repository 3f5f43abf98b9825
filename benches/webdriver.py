"""A tiny WebDriver client for the search benchmark: starts chromedriver and headless
Chromium on loopback, opens pages, runs scripts, presses keys, takes screenshots."""
import base64
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


class Browser:
    def __init__(self, width=1280, height=900, dark=False):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        self.driver = subprocess.Popen([shutil.which("chromedriver"), f"--port={self.port}"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.profile = tempfile.mkdtemp()
        deadline = time.time() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port)).close()
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.05)
        args = ARGS + [f"--window-size={width},{height}", f"--user-data-dir={self.profile}"]
        if dark:
            args.append("--force-dark-mode")
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        caps = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"binary": chromium, "args": args}}}}
        self.session = self.call("POST", "/session", caps)["value"]["sessionId"]
        # Relevance runs hundreds of queries in one script: allow it ten minutes.
        self.cmd("POST", "/timeouts", {"script": 600000, "pageLoad": 300000})

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=900) as r:
            return json.loads(r.read())

    def cmd(self, method, path, body=None):
        v = self.call(method, f"/session/{self.session}{path}", body)["value"]
        if isinstance(v, dict) and "error" in v:
            raise RuntimeError(v)
        return v

    def open(self, url):
        self.cmd("POST", "/url", {"url": url})

    def eval(self, script, *args):
        return self.cmd("POST", "/execute/sync", {"script": script, "args": list(args)})

    def eval_async(self, script, *args):
        return self.cmd("POST", "/execute/async", {"script": script, "args": list(args)})

    def cdp(self, cmd, params=None):
        return self.cmd("POST", "/goog/cdp/execute", {"cmd": cmd, "params": params or {}})

    def keys(self, text):
        acts = []
        for c in text:
            acts += [{"type": "keyDown", "value": c}, {"type": "keyUp", "value": c}]
        self.cmd("POST", "/actions", {"actions": [{"type": "key", "id": "kb", "actions": acts}]})

    def wait(self, script, timeout=30):
        deadline = time.time() + timeout
        while True:
            v = self.eval(script)
            if v:
                return v
            if time.time() > deadline:
                raise TimeoutError(script)
            time.sleep(0.05)

    def screenshot(self, path):
        with open(path, "wb") as f:
            f.write(base64.b64decode(self.cmd("GET", "/screenshot")))

    def close(self):
        try:
            self.call("DELETE", f"/session/{self.session}")
        finally:
            self.driver.terminate()
            self.driver.wait()
            shutil.rmtree(self.profile, ignore_errors=True)
