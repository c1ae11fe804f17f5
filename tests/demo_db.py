# This file is part of the coastal customer service project.
"""The demo database (data/demo.py) for the tests that run the product in
processes of their own, on the backend of the test run: a file in a
temporary directory on SQLite, a database of its own on PostgreSQL
(TRYTOND_DATABASE_URI), dropped at the end"""
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import types
import urllib.error
import urllib.request
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = Path(sys.executable)
CONFIG = REPO / 'trytond.conf'
PASSWORD = 'demo2026'


def backend_uri():
    return os.environ.get('TRYTOND_DATABASE_URI', 'sqlite://')


def process_env(path):
    "The environment of a server or script process on the test's backend"
    env = {k: v for k, v in os.environ.items()
        if not k.startswith('TRYTOND_') and k not in {'DB_NAME', 'DB_CACHE'}}
    env.update(
        TRYTOND_DATABASE_URI=backend_uri(),
        TRYTOND_DATABASE__PATH=str(path),
        TRYTOND_WEB__ROOT=str(REPO / 'sao'),
        )
    return env


def run_script(env, *args, timeout=600):
    "Run a Python script of the repository; return its completed process"
    return subprocess.run(
        [PYTHON, *map(str, args)], cwd=REPO, env=env, capture_output=True,
        text=True, timeout=timeout)


@contextlib.contextmanager
def demo_database():
    """Yield a fresh demo database: its name, the environment of the
    processes that open it, the directory of its files on SQLite and what
    data/demo.py printed; dropped at the end"""
    name = 'demo' if backend_uri().startswith('sqlite') else (
        'test_demo_%s' % uuid.uuid4().hex[:12])
    with tempfile.TemporaryDirectory(prefix='demo-db-') as path:
        env = process_env(path)
        result = run_script(
            env, REPO / 'data' / 'demo.py', '-c', CONFIG, '-d', name)
        assert result.returncode == 0, (
            "data/demo.py failed:\n" + result.stdout + result.stderr)
        try:
            yield types.SimpleNamespace(
                name=name, env=env, path=Path(path), output=result.stdout)
        finally:
            if not backend_uri().startswith('sqlite'):
                run_script(env, '-c', DROP, name, timeout=120)


# Drop the PostgreSQL database named by argv[1]
DROP = '''
import sys
from trytond.transaction import Transaction
with Transaction().start(None, 0, close=True, autocommit=True) as t:
    t.database.drop(t.connection, sys.argv[1])
'''


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def trytond_server(env, name, check='', timeout=60):
    """Serve the database with a trytond process of its own on a free local
    port; yield its URL once check (a path) answers, stop it at the end"""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix='trytond-') as path:
        # trytond.conf sets [web] listen and config files beat environment
        # variables: the port comes from a second config file read last
        extra = Path(path) / 'extra.conf'
        extra.write_text('[web]\nlisten = 127.0.0.1:%s\n' % port)
        log = Path(path) / 'trytond.log'
        with open(log, 'w') as log_file:
            process = subprocess.Popen(
                [PYTHON.parent / 'trytond', '-c', CONFIG, extra, '-d', name],
                cwd=REPO, env=env, stdout=log_file, stderr=subprocess.STDOUT)
        url = 'http://127.0.0.1:%s/' % port
        try:
            deadline = time.monotonic() + timeout
            while True:
                assert process.poll() is None, log.read_text()
                try:
                    with urllib.request.urlopen(url + check, timeout=2):
                        break
                except (urllib.error.URLError, OSError):
                    assert time.monotonic() < deadline, log.read_text()
                    time.sleep(0.2)  # polling; the loop itself is bounded
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
