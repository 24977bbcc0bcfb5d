"""trainchain.save_checkpoint / load_checkpoint: zip files with a CRC per entry, the newest two kept, a damaged one
skipped with a warning, the RNG states restored so a resume repeats an uninterrupted run."""

import os
import random
import struct
import sys
import zipfile
from unittest import mock

import numpy as np

import trainchain
from tc_support import OutDirTest, captured, needs

STATE = {"weights": [0.5, -1.25], "optimizer": {"lr": 0.1, "momentum": (0.9, 0.99)}, "seen": {"a", "b"}}


class CheckpointTest(OutDirTest):
    def names(self):
        return sorted(os.listdir(os.path.join(self.out, "checkpoints")))

    def save(self, epoch, batch=0, state=None):
        path, out, _ = captured(trainchain.save_checkpoint, dict(state or STATE, at=(epoch, batch)), epoch, batch)
        return path, out

    def load(self):
        return captured(trainchain.load_checkpoint)

    def test_without_a_checkpoint_there_is_nothing_to_resume(self):
        self.assertEqual((None, ""), self.load()[:2])

    def test_plain_objects_round_trip_in_a_zip_whose_entries_pass_their_crc(self):
        with mock.patch.dict(sys.modules, {"torch": None}):  # as in a script that never imported torch
            path, out = self.save(3, 120)
            self.assertIn("checkpoint checkpoint-epoch-0003-batch-00120.zip written (epoch 3, batch 120)", out)
            with zipfile.ZipFile(path) as z:
                self.assertIsNone(z.testzip())
                self.assertEqual(["trainchain-state.json", "state.pkl"], z.namelist())
            state, out, _ = self.load()
        self.assertEqual(dict(STATE, at=(3, 120), epoch=3, batch=120), state)
        self.assertIn("resuming from checkpoint-epoch-0003-batch-00120.zip after epoch 3, batch 120", out)
        self.assertNoTempFiles()

    def test_a_state_that_is_not_a_dict_comes_back_under_state(self):
        captured(trainchain.save_checkpoint, [1, 2, 3], 1)
        self.assertEqual({"state": [1, 2, 3], "epoch": 1, "batch": 0}, self.load()[0])

    @needs("torch")
    def test_torch_model_and_optimizer_state_round_trip(self):
        import torch
        torch.manual_seed(0)
        net = torch.nn.Sequential(torch.nn.Linear(6, 4), torch.nn.ReLU(), torch.nn.Linear(4, 3))
        opt = torch.optim.Adam(net.parameters(), lr=0.01)
        net(torch.rand(5, 6)).sum().backward()
        opt.step()
        path, _ = self.save(2, state={"model": net.state_dict(), "optimizer": opt.state_dict()})
        with zipfile.ZipFile(path) as z:
            self.assertIn("state.pt", z.namelist())
        state = self.load()[0]
        for k, v in net.state_dict().items():
            self.assertTrue(torch.equal(v, state["model"][k]), k)
        self.assertEqual(opt.state_dict()["param_groups"], state["optimizer"]["param_groups"])
        moments = [s["exp_avg"] for s in opt.state_dict()["state"].values()]
        self.assertTrue(all(torch.equal(a, s["exp_avg"]) for a, s in zip(moments,
                                                                         state["optimizer"]["state"].values())))

    def test_only_the_newest_two_are_kept_in_epoch_and_batch_order(self):
        for epoch, batch in [(1, 0), (1, 500), (2, 0), (2, 40), (10, 0)]:
            self.save(epoch, batch)
        self.assertEqual(["checkpoint-epoch-0002-batch-00040.zip", "checkpoint-epoch-0010.zip"], self.names())
        self.assertEqual((10, 0), self.load()[0]["at"])
        self.assertNoTempFiles()

    def assertFallsBack(self, damage, reason=None):
        for epoch in (1, 2, 3):
            path, _ = self.save(epoch)
        damage(path)
        state, out, _ = self.load()
        self.assertEqual(dict(STATE, at=(2, 0), epoch=2, batch=0), state)
        self.assertIn("warning: checkpoint checkpoint-epoch-0003.zip is unreadable (", out)
        if reason:
            self.assertIn(reason, out)
        self.assertIn("; falling back to checkpoint-epoch-0002.zip", out)
        self.assertIn("resuming from checkpoint-epoch-0002.zip after epoch 2, batch 0", out)

    def test_a_truncated_newest_checkpoint_is_skipped_with_a_warning(self):
        def truncate(path):
            with open(path, "rb") as f:
                data = f.read()
            with open(path, "wb") as f:
                f.write(data[:len(data) // 2])
        self.assertFallsBack(truncate)

    def test_a_newest_checkpoint_failing_its_crc_is_skipped_with_a_warning(self):
        entry = []

        def flip_a_byte_of_the_state(path):
            with zipfile.ZipFile(path) as z:
                info = [i for i in z.infolist() if i.filename != "trainchain-state.json"][0]
            entry.append(info.filename)
            with open(path, "r+b") as f:
                f.seek(info.header_offset + 26)
                name_len, extra_len = struct.unpack("<HH", f.read(4))
                f.seek(info.header_offset + 30 + name_len + extra_len + info.file_size // 2)
                b = f.read(1)
                f.seek(-1, os.SEEK_CUR)
                f.write(bytes([b[0] ^ 0xFF]))
        self.assertFallsBack(flip_a_byte_of_the_state, "fails its CRC check")
        self.assertIn(entry[0], ("state.pkl", "state.pt"))

    def test_when_every_checkpoint_is_damaged_there_is_nothing_to_resume(self):
        for epoch in (1, 2):
            path, _ = self.save(epoch)
            with open(path, "wb") as f:
                f.write(b"PK\x03\x04 not a zip")
        state, out, _ = self.load()
        self.assertIsNone(state)
        self.assertIn("checkpoint-epoch-0001.zip is unreadable", out)
        self.assertIn("no older checkpoint", out)

    def test_python_and_numpy_draws_after_a_load_repeat_the_draws_after_the_save(self):
        random.seed(11)
        np.random.seed(11)
        self.save(1)
        after_save = [random.random() for _ in range(3)], np.random.rand(3).tolist()
        random.random(), np.random.rand(50)  # later epochs move the generators on
        self.load()
        self.assertEqual(after_save, ([random.random() for _ in range(3)], np.random.rand(3).tolist()))

    @needs("torch")
    def test_torch_draws_after_a_load_repeat_the_draws_after_the_save(self):
        import torch
        torch.manual_seed(11)
        self.save(1)
        after_save = torch.rand(5)
        torch.rand(100)
        self.load()
        self.assertTrue(torch.equal(after_save, torch.rand(5)))
