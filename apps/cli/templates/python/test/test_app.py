"""Runs the app as a worker would (IEXEC_IN, IEXEC_OUT, the protected data file) and checks its
result: `python3 -m unittest discover test`. `confidant test` does the same with every check."""

import json
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class AppTest(unittest.TestCase):
    def test_says_hello(self):
        out = tempfile.mkdtemp()
        mock = os.path.join(ROOT, "mock", "protected-data")
        with_data = os.path.isfile(os.path.join(mock, "protected-data.zip"))
        env = dict(os.environ, IEXEC_OUT=out, IEXEC_IN=mock)
        if with_data:
            env["IEXEC_DATASET_FILENAME"] = "protected-data.zip"
        run = subprocess.run([sys.executable, os.path.join(ROOT, "src", "app.py"), "Bob"], env=env, capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stderr)
        with open(os.path.join(out, "result.txt"), encoding="utf-8") as handle:
            self.assertTrue(handle.read().startswith("Hello, Alice!" if with_data else "Hello, Bob!"))
        with open(os.path.join(out, "computed.json"), encoding="utf-8") as handle:
            self.assertIn("deterministic-output-path", json.load(handle))


if __name__ == "__main__":
    unittest.main()
