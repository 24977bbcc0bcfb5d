"""trainchain_launch: the requirement check against the image's own packages, the working copy, the data, and the
template-mode --resume. main() is run for real up to its exec, which is replaced by a recorder."""

import gzip
import json
import os
import shutil
import sys
import tempfile
import unittest
from importlib import metadata
from unittest import mock

import trainchain_launch as launch
from tc_support import captured, needs

NUMPY = metadata.version("numpy")  # in both images


class ParseRequirementTest(unittest.TestCase):
    def test_names_extras_specifiers_markers_and_urls(self):
        cases = {
            "pkg[extra,other]>=1": ("pkg", [(">=", "1")], ""),
            "Scikit_Learn==1.2.*": ("Scikit_Learn", [("==", "1.2.*")], ""),
            "numpy >= 1.20, < 2, != 1.21.0": ("numpy", [(">=", "1.20"), ("<", "2"), ("!=", "1.21.0")], ""),
            "torch (>=1.10)": ("torch", [(">=", "1.10")], ""),
            "requests~=2.28": ("requests", [("~=", "2.28")], ""),
            "tomli>=1.1; python_version < '3.11'": ("tomli", [(">=", "1.1")], " python_version < '3.11'"),
            "numpy @ file:///wheels/numpy.whl": ("numpy", [], ""),
            "zope.interface": ("zope.interface", [], ""),
        }
        for text, parsed in cases.items():
            self.assertEqual(parsed, launch.parse_requirement(text), text)

    def test_what_is_not_a_requirement(self):
        for text in ["numpy is great", "https://example.org/x.whl", ">=1.0"]:
            self.assertIsNone(launch.parse_requirement(text), text)


class SatisfiesTest(unittest.TestCase):
    def test_pep440_comparisons_on_release_numbers(self):
        cases = [("1.24.2", ">=", "1.20", True), ("1.24.2", ">=", "1.25", False), ("1.10", ">", "1.9", True),
                 ("1.24.0", "==", "1.24", True), ("1.24.2", "==", "1.24", False), ("1.24.2", "<=", "1.24.2", True),
                 ("1.2.1", "==", "1.2.*", True), ("1.3.0", "==", "1.2.*", False), ("1.20", "==", "1.2.*", False),
                 ("1.2.1", "!=", "1.2.*", False), ("1.3.0", "!=", "1.2.*", True),
                 ("1.24.2", "!=", "1.24.2", False), ("1.24.2", "!=", "1.24.1", True),
                 ("1.2.1", "~=", "1.2", True), ("1.9", "~=", "1.2", True), ("2.0", "~=", "1.2", False),
                 ("1.1", "~=", "1.2", False), ("1.2.5", "~=", "1.2.3", True), ("1.3.0", "~=", "1.2.3", False),
                 ("1.99", "<", "2", True), ("2.0", "<", "2", False), ("2.0.1", ">", "2", True),
                 # Debian's torch says 1.13.0a0+gitunknown: only the release numbers count, or torch>=1.13 failed.
                 ("1.13.0a0+gitunknown", ">=", "1.13", True), ("1.13.0a0+gitunknown", "==", "1.13.*", True)]
        for installed, op, wanted, expected in cases:
            self.assertEqual(expected, launch.satisfies(installed, op, wanted), "%s %s%s" % (installed, op, wanted))


class MarkerTest(unittest.TestCase):
    def test_python_version_markers_are_judged_against_this_python(self):
        here = "%d.%d" % sys.version_info[:2]
        older = "%d.%d" % (sys.version_info[0], sys.version_info[1] - 1)
        cases = {'python_version >= "3.0"': True, "python_version < '3.0'": False, 'python_version == "%s"' % here:
                 True, 'python_version != "%s"' % here: False, 'python_version > "%s"' % older: True,
                 'python_version<"%s"' % older: False}
        for marker, expected in cases.items():
            self.assertEqual(expected, launch.marker_applies(marker), marker)

    def test_platform_markers_and_combinations_are_judged_too(self):
        # A Windows-only requirement (pywin32; sys_platform == "win32") must not be reported missing on Linux.
        self.assertFalse(launch.marker_applies('sys_platform == "win32"'))
        self.assertTrue(launch.marker_applies('sys_platform == "linux"'))
        self.assertFalse(launch.marker_applies('sys_platform == "linux" and python_version < "3.0"'))
        self.assertTrue(launch.marker_applies('os_name == "nt" or python_version >= "3"'))
        self.assertTrue(launch.marker_applies("not a marker at all"), "an invalid marker is checked as applying")


class RequirementFilesTest(unittest.TestCase):
    def setUp(self):
        self.code = tempfile.mkdtemp(prefix="tc-code-")
        self.addCleanup(shutil.rmtree, self.code)

    def write(self, name, text):
        with open(os.path.join(self.code, name), "w", encoding="utf-8") as f:
            f.write(text)

    def check(self):
        return captured(launch.check_requirements, self.code)

    def test_requirements_txt_lines_with_comments_options_and_includes(self):
        self.write("requirements.txt", "# training\nnumpy>=1.20  # any recent one\n\n-r more.txt\n"
                                       "--index-url https://example.org/simple\nPython_DateUtil[tz] >= 2.0, != 2.8.0\n")
        os.makedirs(os.path.join(self.code, "req"))
        self.write("more.txt", "numpy  # again\n--requirement=req/base.txt\n")
        self.write("req/base.txt", "-r ../extra.txt\nScikit_Learn>=1.0\n")
        self.write("extra.txt", "numpy>=1.0\n")
        self.assertEqual([("requirements.txt", 2, "numpy>=1.20"), ("more.txt", 1, "numpy"),
                          ("extra.txt", 1, "numpy>=1.0"), ("req/base.txt", 2, "Scikit_Learn>=1.0"),
                          ("requirements.txt", 6, "Python_DateUtil[tz] >= 2.0, != 2.8.0")],
                         launch.requirements(self.code), "-r includes followed where they stand, relative to their file")

    def test_a_broken_include_is_bad_input_naming_the_line(self):
        self.write("requirements.txt", "numpy\n-r missing.txt\n")
        result, _, err = captured(launch.requirements, self.code)
        self.assertEqual(launch.BAD_INPUT, result.code)
        self.assertIn("requirements.txt:2: '-r missing.txt': missing.txt is not in the repository", err)
        self.write("requirements.txt", "-r ../outside.txt\n")
        self.assertIn("includes a file outside the repository", captured(launch.requirements, self.code)[2])
        self.write("requirements.txt", "-r a.txt\n")
        self.write("a.txt", "-r requirements.txt\n")
        self.assertIn("a.txt:1: '-r requirements.txt' includes itself (requirements.txt -> a.txt -> "
                      "requirements.txt)", captured(launch.requirements, self.code)[2])

    def test_pyproject_dependencies_are_checked_and_optional_ones_are_not(self):
        self.write("pyproject.toml", '[project]\nname = "xgboost-demo"\ndependencies = [\n    "numpy>=1.20",\n'
                                     '    "xgboost",\n]\n[project.optional-dependencies]\ndev = ["pytest>=7"]\n')
        self.assertEqual([("pyproject.toml", 4, "numpy>=1.20"), ("pyproject.toml", 5, "xgboost")],
                         launch.requirements(self.code), "each at its own line, not at the name's")
        result, _, err = self.check()
        self.assertEqual(launch.BAD_INPUT, result.code)
        self.assertIn("pyproject.toml:5: package 'xgboost' is not in the training image", err)
        self.assertNotIn("pytest", err)

    def test_a_pyproject_that_does_not_parse_is_bad_input(self):
        self.write("pyproject.toml", "[project\ndependencies = [\n")
        result, _, err = self.check()
        self.assertEqual(launch.BAD_INPUT, result.code)
        self.assertIn("pyproject.toml cannot be read", err)

    def test_what_the_image_has_passes_under_any_spelling_of_its_name(self):
        self.write("requirements.txt", "numpy==%s\nNumPy>=1.0,<99\nPython_DateUtil>=2\npython.dateutil~=2.8\n"
                                       "numpy!=1.0.*\nnot-in-the-image; python_version < '3.0'\n" % NUMPY)
        self.assertEqual((None, "", ""), self.check())

    @needs("sklearn")
    def test_scikit_learn_by_any_spelling(self):
        self.write("requirements.txt", "Scikit_Learn>=1.2\nscikit.learn==1.2.*\nSCIKIT-LEARN[alldeps]~=1.2\n")
        self.assertEqual((None, "", ""), self.check())

    @needs("torch")
    def test_debians_torch_satisfies_its_own_release(self):
        self.write("requirements.txt", "torch>=1.13\ntorchvision~=0.14\n")
        self.assertEqual((None, "", ""), self.check())

    def test_a_missing_or_too_old_package_is_bad_input_naming_file_line_and_package(self):
        self.write("requirements.txt", "numpy>=1.0\nxgboost==2.0.3\nnumpy>=99\nnumpy!=%s\nthis is no requirement\n"
                   % NUMPY)
        result, out, err = self.check()
        self.assertEqual(launch.BAD_INPUT, result.code)
        self.assertIn("requirements.txt:2: package 'xgboost' is not in the training image", err)
        self.assertIn("requirements.txt:3: 'numpy' wants >=99, the image has numpy %s" % NUMPY, err)
        self.assertIn("requirements.txt:4: 'numpy' wants !=%s" % NUMPY, err)
        self.assertIn("requirements.txt:5: 'this is no requirement' is not a requirement", err)
        self.assertNotIn("requirements.txt:1", err)


class Exec(Exception):
    pass


class MainTest(unittest.TestCase):
    """main() as the container runs it, with CODE and DATA in a temp folder and the exec recorded."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="tc-launch-")
        self.addCleanup(shutil.rmtree, self.tmp)
        self.addCleanup(os.chdir, os.getcwd())
        self.code, self.data = os.path.join(self.tmp, "code"), os.path.join(self.tmp, "data")
        self.work = os.path.join(self.tmp, "work", "code")
        os.makedirs(os.path.join(self.code, "lib"))
        os.makedirs(self.data)
        for name, text in [("train.py", "print('hi')\n"), ("lib/util.py", "X = 1\n")]:
            with open(os.path.join(self.code, name), "w", encoding="utf-8") as f:
                f.write(text)
        for name, value in [("CODE", self.code), ("DATA", self.data)]:
            p = mock.patch.object(launch, name, value)
            p.start()
            self.addCleanup(p.stop)

    def main(self, *opts, program=("python3", "train.py", "--resume")):
        def execvp(file, argv):
            raise Exec(argv)
        with mock.patch.object(os, "execvp", execvp):
            try:
                result, out, err = captured(launch.main, ["--workdir", self.work] + list(opts) + ["--"]
                                            + list(program))
            except Exec as e:
                return e.args[0]
        self.fail("no exec: %r\n%s%s" % (result, out, err))

    def template(self, *opts):
        return self.main("--template", "--resume-args", json.dumps(["--resume-from", "ckpt/"]), *opts)

    def test_the_code_is_copied_and_the_script_runs_in_it_with_its_arguments(self):
        os.makedirs(self.work)
        with open(os.path.join(self.work, "model.pt"), "w") as f:
            f.write("from an earlier container")
        self.assertEqual(["python3", "train.py", "--resume"], self.main(), "contract mode keeps --resume")
        self.assertEqual(os.path.realpath(self.work), os.getcwd())
        self.assertEqual(["lib", "model.pt", "train.py"], sorted(os.listdir(self.work)))
        with open(os.path.join(self.work, "lib", "util.py")) as f:
            self.assertEqual("X = 1\n", f.read())

    def test_template_mode_without_a_checkpoint_yet_restarts_from_scratch(self):
        self.assertEqual(["python3", "train.py"], self.template("--checkpoint-dir", "ckpt"))
        os.makedirs(os.path.join(self.work, "ckpt"))
        self.assertEqual(["python3", "train.py"], self.template("--checkpoint-dir", "ckpt"), "an empty folder too")

    def test_template_mode_with_a_checkpoint_resumes_with_the_declared_arguments(self):
        os.makedirs(os.path.join(self.work, "ckpt"))
        open(os.path.join(self.work, "ckpt", "epoch-1.pt"), "w").close()
        self.assertEqual(["python3", "train.py", "--resume-from", "ckpt/"], self.template("--checkpoint-dir", "ckpt"))
        self.assertEqual(["python3", "train.py", "--resume-from", "ckpt/"], self.template(),
                         "without a declared checkpoint folder, always")

    def test_template_mode_without_resume_args_restarts_from_scratch(self):
        self.assertEqual(["python3", "train.py"], self.main("--template"))
        self.assertEqual(["python3", "train.py", "--lr", "1"], self.main("--template",
                                                                         program=("python3", "train.py", "--lr", "1")),
                         "a first start has no --resume to replace")

    def test_the_data_is_linked_where_the_script_looks_and_gzip_files_unpacked(self):
        with gzip.open(os.path.join(self.data, "images.gz"), "wb") as f:
            f.write(b"\x00\x01raw")
        with open(os.path.join(self.data, "labels.csv"), "w") as f:
            f.write("0\n")
        for _ in range(2):  # a restart finds them in place
            self.main("--data-path", "../data/raw")
        raw = os.path.join(self.tmp, "work", "data", "raw")
        self.assertEqual(os.path.join(self.data, "labels.csv"), os.readlink(os.path.join(raw, "labels.csv")))
        with open(os.path.join(raw, "images"), "rb") as f:
            self.assertEqual(b"\x00\x01raw", f.read())

    def test_a_failing_requirement_stops_before_anything_is_copied_or_run(self):
        with open(os.path.join(self.code, "requirements.txt"), "w") as f:
            f.write("xgboost\n")
        result, _, err = captured(launch.main, ["--workdir", self.work, "--", "python3", "train.py"])
        self.assertEqual(launch.BAD_INPUT, result.code)
        self.assertIn("requirements.txt:1: package 'xgboost'", err)
        self.assertFalse(os.path.exists(self.work))

    def test_bad_launcher_arguments_are_bad_input(self):
        for argv, message in [(["python3", "train.py"], "no '--'"), (["--"], "no program after '--'"),
                              (["--verbose", "--", "x"], "unknown option --verbose")]:
            result, _, err = captured(launch.main, argv)
            self.assertEqual(launch.BAD_INPUT, result.code, argv)
            self.assertIn(message, err)
