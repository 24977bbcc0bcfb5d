"""trainchain_install: what the install layer asks pip for, from where, and how it tells a requirement no index
meets (bad input) from an index out of reach. pip itself is run for real by PythonBuildIT (wheels, a local index,
a missing package, a closed port); here the command is recorded and pip's verdicts are replayed by a real child
process printing pip's own words."""

import json
import os
import shutil
import sys
import tempfile
import unittest
from unittest import mock

import trainchain_install as install
from tc_support import captured


class InstallTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp(prefix="tc-install-")
        self.addCleanup(shutil.rmtree, self.folder)
        venv = os.path.join(self.folder, "venv")  # the real one is /opt/trainchain/venv, read-only here
        patcher = mock.patch.object(install, "VENV", venv)
        patcher.start()
        self.addCleanup(patcher.stop)

    def write(self, name, text):
        with open(os.path.join(self.folder, name), "w", encoding="utf-8") as f:
            f.write(text if isinstance(text, str) else json.dumps(text))

    def run_main(self, verdict=(False, None)):
        """main()'s exit status, stdout, stderr and the pip command it ran (None when it ran none)."""
        commands = []

        def fake_pip(command):
            commands.append(command)
            return verdict
        with mock.patch.object(install, "run_pip", fake_pip):
            code, out, err = captured(install.main, [self.folder])
        return code, out, err, (commands[0] if commands else None)

    def test_without_install_nothing_runs(self):
        self.write("install.json", {})
        code, out, _, command = self.run_main()
        self.assertEqual((0, "", None), (code, out, command))
        self.assertFalse(os.path.exists(install.VENV))

    def test_the_checked_requirements_are_asked_for_and_option_lines_are_told(self):
        self.write("install.json", {"files": ["requirements.txt", "pyproject.toml"], "no_index": False})
        self.write("requirements.txt", "numpy>=1.20  # comment\n-e .\n-r base.txt\n")
        self.write("base.txt", "tcdemo==1.0; python_version >= '3'\n")
        self.write("pyproject.toml", '[project]\nname = "x"\ndependencies = ["tcother>=2"]\n')
        code, out, _, command = self.run_main()
        self.assertEqual(0, code)
        self.assertEqual([install.VENV + "/bin/python3", "-m", "pip", "install"], command[:4])
        self.assertEqual(["numpy>=1.20", "tcdemo==1.0; python_version >= '3'", "tcother>=2"], command[-3:])
        self.assertNotIn("--index-url", command)
        self.assertNotIn("--no-index", command)
        self.assertIn("requirements.txt:2: '-e .' is not followed", out)
        self.assertNotIn("-r base.txt", out, "an include is followed, not told")
        self.assertIn("from pip's default index", out)
        self.assertTrue(os.path.isfile(os.path.join(install.VENV, "pyvenv.cfg")), "the environment was made")
        with open(os.path.join(install.VENV, "pyvenv.cfg"), encoding="utf-8") as f:
            self.assertIn("include-system-site-packages = true", f.read(), "the image's packages stay visible")

    def test_an_index_wheels_offline_and_plain_http(self):
        self.write("requirements.txt", "tcdemo\n")
        self.write("install.json", {"files": ["requirements.txt"], "index_url": "http://10.0.0.1:8080/simple",
                                    "find_links": "wheels", "no_index": False})
        _, out, _, command = self.run_main()
        self.assertEqual(["--index-url", "http://10.0.0.1:8080/simple", "--trusted-host", "10.0.0.1:8080",
                          "--find-links", os.path.join(self.folder, "wheels")],
                         command[command.index("--index-url"):command.index("tcdemo")])
        self.assertIn("warning: http://10.0.0.1:8080/simple is plain http", out)

        self.write("install.json", {"files": ["requirements.txt"], "find_links": "wheels", "no_index": True})
        _, out, _, command = self.run_main()
        self.assertIn("--no-index", command)
        self.assertNotIn("--index-url", command)
        self.assertIn("from the repository's wheels/", out)

    def test_an_unmet_requirement_is_bad_input_and_an_unreachable_index_is_not(self):
        self.write("requirements.txt", "tcmissing==3.1\n")
        self.write("install.json", {"files": ["requirements.txt"], "index_url": "https://pypi.example.com/simple"})
        code, _, err, _ = self.run_main(verdict=(False, "tcmissing==3.1"))
        self.assertEqual(install.BAD_INPUT, code)
        self.assertIn("cannot be met from https://pypi.example.com/simple: tcmissing==3.1", err)
        code, _, err, _ = self.run_main(verdict=(True, ""))
        self.assertEqual(1, code)
        self.assertIn("the index could not be reached", err)
        code, _, err, _ = self.run_main(verdict=(False, ""))
        self.assertEqual(1, code, "pip failed for another reason: not the repository's fault either")

    def test_requirements_listing_nothing_install_nothing(self):
        self.write("requirements.txt", "# nothing\n")
        self.write("install.json", {"files": ["requirements.txt"]})
        code, out, _, command = self.run_main()
        self.assertEqual((0, None), (code, command))
        self.assertIn("list no package: nothing to install", out)


class RunPipTest(unittest.TestCase):
    """pip's verdicts from its own output lines, read from a real child process."""

    def verdict(self, lines, status):
        script = "import sys\nfor l in %r: print(l)\nsys.exit(%d)\n" % (lines, status)
        result, out, _ = captured(install.run_pip, [sys.executable, "-c", script])
        self.assertIn(lines[-1], out, "pip's output is passed on")
        return result

    def test_success_unmet_and_unreachable(self):
        self.assertEqual((False, None), self.verdict(["Successfully installed tcdemo-1.0"], 0))
        self.assertEqual((False, "tcmissing==3.1"), self.verdict([
            "ERROR: Could not find a version that satisfies the requirement tcmissing==3.1 (from versions: none)",
            "ERROR: No matching distribution found for tcmissing==3.1"], 1))
        unreachable, _ = self.verdict([
            "WARNING: Retrying (Retry(total=0)) after connection broken by 'NewConnectionError(...: [Errno 111] "
            "Connection refused')': /simple/tcdemo/",
            "ERROR: No matching distribution found for tcdemo"], 1)
        self.assertTrue(unreachable, "a refused connection is the network, even though pip then says 'no match'")
        self.assertEqual((False, ""), self.verdict(["ERROR: THESE PACKAGES DO NOT MATCH THE HASHES"], 1))


if __name__ == "__main__":
    unittest.main()
