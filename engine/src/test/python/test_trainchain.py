"""trainchain.params, log_epoch, evaluate and save_model as the README promises them."""

import json
import math
import os
import pickle
import random

import trainchain
from tc_support import OutDirTest, captured, needs


class ParamsTest(OutDirTest):
    DEFAULTS = {"lr": 0.01, "epochs": 2, "shuffle": True, "optimizer": "adam", "note": None}

    def params(self, content, defaults=DEFAULTS):
        path = os.path.join(self.tmp, "params.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(content if isinstance(content, str) else json.dumps(content))
        trainchain.args(["--out", self.out, "--params", path])
        return captured(trainchain.params, defaults)

    def assertBadInput(self, content, *fragments, defaults=DEFAULTS):
        result, _, err = self.params(content, defaults)
        self.assertIsInstance(result, SystemExit, "bad input must end the script")
        self.assertEqual(trainchain.BAD_INPUT, result.code)
        self.assertTrue(err.startswith("error: "), err)
        self.assertIn("params.json", err, "names the file")
        for f in fragments:
            self.assertIn(f, err)

    def test_no_params_file_gives_the_defaults(self):
        self.assertEqual(self.DEFAULTS, trainchain.params(self.DEFAULTS))

    def test_values_replace_defaults_and_numbers_take_the_defaults_type(self):
        p, _, _ = self.params({"lr": 1, "epochs": 3.0, "note": [1, 2], "shuffle": False})
        self.assertEqual({"lr": 1.0, "epochs": 3, "shuffle": False, "optimizer": "adam", "note": [1, 2]}, p)
        self.assertIs(float, type(p["lr"]), "an int for a float default becomes a float")
        self.assertIs(int, type(p["epochs"]), "3.0 for an int default becomes 3")

    def test_unknown_key_is_bad_input_listing_the_known_ones(self):
        self.assertBadInput({"lr": 0.1, "epochz": 3}, "unknown keys epochz", "known: epochs, lr, note")

    def test_wrong_types_are_bad_input(self):
        self.assertBadInput({"lr": "fast"}, "'lr'", "must be a number")
        self.assertBadInput({"epochs": True}, "'epochs'", "must be a number")
        self.assertBadInput({"epochs": 2.5}, "'epochs'", "whole number")
        self.assertBadInput({"shuffle": "false"}, "'shuffle'", "true or false")  # "false" would be truthy
        self.assertBadInput({"shuffle": 0}, "'shuffle'")
        self.assertBadInput({"optimizer": 3}, "'optimizer'")

    def test_a_file_that_is_not_an_object_or_not_json_is_bad_input(self):
        self.assertBadInput([1, 2], "must hold a JSON object, not list")
        self.assertBadInput("{lr: 1", "cannot read the params file")
        self.assertBadInput('{"lr": NaN}', "cannot read the params file", "NaN is not a JSON number")
        self.assertBadInput('{"lr": -Infinity}', "-Infinity is not a JSON number")

    def test_a_missing_file_is_bad_input(self):
        trainchain.args(["--out", self.out, "--params", os.path.join(self.tmp, "absent.json")])
        result, _, err = captured(trainchain.params, {})
        self.assertEqual(trainchain.BAD_INPUT, result.code)
        self.assertIn("cannot read the params file", err)

    def test_without_defaults_any_key_is_taken(self):
        p, _, _ = self.params({"anything": "goes"}, None)
        self.assertEqual({"anything": "goes"}, p)


class LogEpochTest(OutDirTest):
    def lines(self):
        def no_constants(c):
            raise AssertionError("not valid JSON: " + c)
        with open(os.path.join(self.out, "metrics.jsonl"), encoding="utf-8") as f:
            return [json.loads(line, parse_constant=no_constants) for line in f]

    def test_one_valid_json_line_per_epoch(self):
        trainchain.log_epoch(1, train_loss=0.9, val_accuracy=0.5, lr=0.01, note="warmup")
        trainchain.log_epoch(2, train_loss=0.7, val_accuracy=0.6)
        lines = self.lines()
        self.assertEqual([1, 2], [r["epoch"] for r in lines])
        self.assertEqual(0.9, lines[0]["train_loss"])
        self.assertEqual("warmup", lines[0]["note"])
        self.assertIsNone(lines[1]["val_loss"], "metrics not given are null")
        self.assertNoTempFiles()

    def test_nan_and_infinity_are_written_as_null_never_as_invalid_json(self):
        trainchain.log_epoch(1, train_loss=float("nan"), val_loss=float("inf"), grad=-math.inf, val_accuracy=0.5)
        r = self.lines()[0]
        self.assertEqual((None, None, None, 0.5), (r["train_loss"], r["val_loss"], r["grad"], r["val_accuracy"]))

    def test_numpy_scalars_are_written_as_numbers(self):
        import numpy as np
        trainchain.log_epoch(1, train_loss=np.float32(0.25), val_accuracy=np.float64(0.5), f1=np.float32(0.75),
                             steps=np.int64(3))
        r = self.lines()[0]
        self.assertEqual((0.25, 0.5, 0.75, 3), (r["train_loss"], r["val_accuracy"], r["f1"], r["steps"]))

    @needs("torch")
    def test_torch_scalars_are_written_as_numbers(self):
        import torch
        trainchain.log_epoch(1, train_loss=torch.tensor(0.5), grad_norm=torch.tensor(2.0))
        r = self.lines()[0]
        self.assertEqual((0.5, 2.0), (r["train_loss"], r["grad_norm"]))

    def test_an_epoch_logged_again_after_a_resume_replaces_it_and_the_later_ones(self):
        for e in (1, 2, 3):
            trainchain.log_epoch(e, train_loss=1.0 / e)
        with open(os.path.join(self.out, "metrics.jsonl"), "a", encoding="utf-8") as f:
            f.write('{"epoch": 4, "train_lo')  # a line torn by a kill
        trainchain.log_epoch(2, train_loss=0.4)
        self.assertEqual([(1, 1.0), (2, 0.4)], [(r["epoch"], r["train_loss"]) for r in self.lines()])


class EvaluateTest(OutDirTest):
    """scikit-learn's own metrics are the peer; the helper defines an undefined precision/recall/F1 as 0."""

    def assertSameAsScikitLearn(self, y_true, y_pred, names):
        from sklearn import metrics
        r, out, _ = captured(trainchain.evaluate, y_true, y_pred, names, model="m1")
        labels = list(range(len(names)))
        self.assertAlmostEqual(metrics.accuracy_score(y_true, y_pred), r["accuracy"], places=12)
        self.assertAlmostEqual(metrics.f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0),
                               r["macro_f1"], places=12)
        self.assertEqual(metrics.confusion_matrix(y_true, y_pred, labels=labels).tolist(), r["confusion_matrix"])
        p, rec, f1, support = metrics.precision_recall_fscore_support(y_true, y_pred, labels=labels,
                                                                      zero_division=0)
        for c, row in enumerate(r["per_class"]):
            self.assertEqual(names[c], row["class"])
            self.assertAlmostEqual(p[c], row["precision"], places=12)
            self.assertAlmostEqual(rec[c], row["recall"], places=12)
            self.assertAlmostEqual(f1[c], row["f1"], places=12)
            self.assertEqual(support[c], row["support"])
        with open(os.path.join(self.out, "evaluation.json"), encoding="utf-8") as f:
            self.assertEqual(r, json.load(f), "evaluation.json holds what evaluate returned")
        self.assertEqual(("m1", len(y_true), names), (r["model"], r["test_images"], r["class_names"]))
        self.assertIn("test: accuracy %.4f, macro F1 %.4f on %d examples" % (r["accuracy"], r["macro_f1"],
                                                                              len(y_true)), out)
        self.assertNoTempFiles()
        return r

    @needs("sklearn")
    def test_a_class_never_predicted_and_one_absent_from_the_truth(self):
        y_true = [0, 0, 1, 1, 1, 2, 2, 3, 3, 0, 1, 2]
        y_pred = [0, 1, 1, 1, 0, 2, 4, 1, 0, 0, 2, 4]  # 3 never predicted, 4 never true
        r = self.assertSameAsScikitLearn(y_true, y_pred, ["t-shirt", "trouser", "bag", "coat", "boot"])
        self.assertEqual((0.0, 0.0), (r["per_class"][3]["precision"], r["per_class"][4]["recall"]))

    @needs("sklearn")
    def test_a_named_class_in_neither_counts_as_zero_in_the_macro_f1(self):
        r = self.assertSameAsScikitLearn([0, 1, 1, 0], [0, 1, 0, 0], ["a", "b", "c"])
        self.assertEqual(0, r["per_class"][2]["support"])

    @needs("sklearn")
    def test_many_random_predictions_of_numpy_labels(self):
        import numpy as np
        rng = np.random.default_rng(7)
        y_true = rng.integers(0, 10, 2000)
        y_pred = np.where(rng.random(2000) < 0.6, y_true, rng.integers(0, 9, 2000))  # a wrong guess is never 9
        self.assertSameAsScikitLearn(y_true, y_pred, [str(c) for c in range(10)])

    def test_labels_it_cannot_count_are_refused(self):
        with self.assertRaises(ValueError):
            captured(trainchain.evaluate, [0, 1], [0])
        with self.assertRaises(ValueError):
            captured(trainchain.evaluate, [], [])
        with self.assertRaises(ValueError):
            captured(trainchain.evaluate, [0, -1], [0, 1])  # a negative index would count into the last class
        self.assertEqual([], self.files(), "nothing written for refused labels")


class SaveModelTest(OutDirTest):
    @needs("torch")
    def test_a_torch_module_is_saved_with_torch_save_as_model_pt(self):
        import torch
        torch.manual_seed(1)
        net = torch.nn.Linear(4, 2)
        path = trainchain.save_model(net)
        self.assertEqual(os.path.join(self.out, "model.pt"), path)
        loaded = torch.load(path)
        x = torch.rand(3, 4)
        self.assertTrue(torch.equal(net(x), loaded(x)))
        self.assertEqual("model.pt", os.path.basename(trainchain.save_model(net.state_dict())))
        self.assertNoTempFiles()

    @needs("sklearn")
    def test_a_scikit_learn_model_is_pickled_as_model_pkl(self):
        from sklearn.tree import DecisionTreeClassifier
        x = [[random.random(), random.random()] for _ in range(50)]
        y = [int(a > b) for a, b in x]
        model = DecisionTreeClassifier(random_state=0).fit(x, y)
        path = trainchain.save_model(model)
        self.assertEqual(os.path.join(self.out, "model.pkl"), path)
        with open(path, "rb") as f:
            self.assertEqual(model.predict(x).tolist(), pickle.load(f).predict(x).tolist())
        self.assertTrue(trainchain.save_model(model, "model.joblib").endswith("/model.joblib"), "a name is kept")

    def test_a_failed_write_keeps_the_previous_file_and_leaves_no_temp(self):
        trainchain.save_model(["version 1"], "model.pkl")  # a list: pickled, with or without torch
        with self.assertRaises(Exception):
            trainchain.save_model(["version 2", lambda: 0], "model.pkl")
        with open(os.path.join(self.out, "model.pkl"), "rb") as f:
            self.assertEqual(["version 1"], pickle.load(f), "the earlier model is still whole")
        self.assertEqual(["model.pkl"], self.files())
