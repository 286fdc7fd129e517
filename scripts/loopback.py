"""Servers on 127.0.0.1 for the scripts that compare or load them: moto's server and `trustflow mock`, started,
waited for, and always stopped.

    with Servers("mock-compare", work) as servers:
        moto_endpoint = servers.moto()
        environment = servers.mock(trustflow, content)   # the function's environment from --env-file
"""
import os
import socket
import subprocess
import sys
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def credentials(environment):
    """boto3's credential names from an `AWS_…` environment."""
    return {"AccessKeyId": environment["AWS_ACCESS_KEY_ID"], "SecretAccessKey": environment["AWS_SECRET_ACCESS_KEY"],
            "SessionToken": environment["AWS_SESSION_TOKEN"]}


class Servers:
    """Starts servers, logging each to `<work>/<name>.log`; stops every one of them on leaving, even on an error."""

    def __init__(self, script, work):
        self.script = script
        self.work = work
        self.processes = []

    def __enter__(self):
        return self

    def __exit__(self, *_):
        for process in self.processes:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        return False

    def start(self, name, command):
        process = subprocess.Popen(command, stdout=open(os.path.join(self.work, name + ".log"), "w"), stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def wait_until(self, predicate, what, process):
        for _ in range(300):
            if predicate():
                return
            if process.poll() is not None:
                break
            time.sleep(0.1)
        raise SystemExit(f"{self.script}: {what} did not start (see {os.path.join(self.work, what.split()[-1] + '.log')})")

    def moto(self):
        """moto's server on a free port; its endpoint once it answers."""
        endpoint = f"http://127.0.0.1:{free_port()}"
        process = self.start("moto", [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", endpoint.rsplit(":", 1)[1]])

        def ready():
            try:
                return urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=1).status == 200
            except OSError:
                return False

        self.wait_until(ready, "moto", process)
        return endpoint

    def mock(self, trustflow, content=None):
        """`trustflow mock` on a free port for `content` (the default content if None); the environment it wrote for
        the model's first function (AWS_ENDPOINT_URL, the keys, the region)."""
        env_file = os.path.join(self.work, "mock.env")
        command = [trustflow, "mock", "--port", "0", "--env-file", env_file] + (["--content", content] if content else [])
        process = self.start("mock", command)
        self.wait_until(lambda: os.path.exists(env_file), "trustflow mock", process)
        return dict(line[len("export "):].strip().split("=", 1) for line in open(env_file) if line.startswith("export "))
