"""Shared by the helper's tests: which image they run in, and a fresh output folder per test.

PythonHelperIT runs these tests in both training images. A test that needs torch or scikit-learn says so with
@needs("torch") / @needs("sklearn"): it is skipped where the package is missing and, when it passes, prints a marker
line the IT counts, so a test meant for one image can never go silently unrun there.
"""

import contextlib
import functools
import importlib
import io
import os
import shutil
import tempfile
import unittest

import trainchain

MARKER = "TRAINCHAIN-TEST-RAN-WITH"


def needs(module):
    def wrap(test):
        @functools.wraps(test)
        def run(self):
            try:
                importlib.import_module(module)
            except ImportError:
                raise unittest.SkipTest("%s is not in this image" % module)
            test(self)
            print("%s %s: %s" % (MARKER, module, test.__name__), flush=True)
        return run
    return wrap


class OutDirTest(unittest.TestCase):
    """A fresh --out folder per test, set through trainchain.args() as a script's command line would."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="tc-test-")
        self.out = os.path.join(self.tmp, "out")
        trainchain.args(["--out", self.out])

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def files(self):
        """Every file under the out folder, relative to it."""
        found = []
        for root, _, names in os.walk(self.out):
            found += [os.path.relpath(os.path.join(root, n), self.out) for n in names]
        return sorted(found)

    def assertNoTempFiles(self):
        self.assertEqual([], [f for f in self.files() if ".tmp-" in f], "atomic writes leave no temp file")


def captured(fn, *a, **kw):
    """(result or SystemExit, stdout, stderr) of fn(*a, **kw)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            result = fn(*a, **kw)
        except SystemExit as e:
            result = e
    return result, out.getvalue(), err.getvalue()
