#!/usr/bin/env python3
"""Writes the six Pipeline steps and six freestyle builders (Java, config.jelly, help-*.html) from the field table
below, so a step and its builder always have the same fields, checks and help. Run from plugin/ after changing the
table: python3 tools/gen_steps.py. The generated files are committed; the binding itself is in Requests.java."""
import os
import re

# name, Java type, required, label, check (Java expression over `value`, or None), help
F = lambda *a: a
REPO_HELP = ("The repository's folder in the workspace: <code>.</code> for the workspace itself, or a sub-folder such "
             "as <code>examples/fashion-cnn</code>. Its <code>trainchain.yaml</code> is read; step fields win over it.")
GATE = [
    F("metric", "String", False, "Gate metric", "ConfigChecks.metric(value)",
      "A key of <code>evaluation.json</code>: <code>accuracy</code>, <code>macro_f1</code>, <code>test_loss</code>. "
      "Empty: <code>trainchain.yaml</code>'s (for a training or a search), else the global configuration's, "
      "else <code>accuracy</code>."),
    F("threshold", "Double", False, "Gate threshold", "ConfigChecks.threshold(value)",
      "The value the metric must reach, e.g. <code>0.80</code>. Empty: <code>trainchain.yaml</code>'s (for a "
      "training or a search), else the global configuration's, else 0.80."),
]
BELOW = F("belowGate", "String", False, "Build result below the gate", "ConfigChecks.belowGate(value)",
          "What a model below the gate does to the build: <code>UNSTABLE</code> (the default), <code>FAILURE</code>, "
          "or <code>SUCCESS</code> (leave the result alone; the script branches on the returned map). Empty: the "
          "global configuration's, else UNSTABLE.")
STEPS = [
    dict(symbol="detectFramework", cls="DetectFramework",
         title="Trainchain: detect the ML framework",
         doc="Scans the repository and names its ML framework, the evidence and the image recipe.",
         fields=[F("repository", "String", True, "Repository folder", 'ConfigChecks.required(value, "repository")',
                   REPO_HELP)],
         request="Requests.detect(repository)"),
    dict(symbol="buildTrainingImage", cls="BuildTrainingImage",
         title="Trainchain: build the training image",
         doc="Builds (or reuses, by content) the training image of the repository's framework.",
         fields=[F("repository", "String", True, "Repository folder", 'ConfigChecks.required(value, "repository")',
                   REPO_HELP),
                 F("baseImage", "String", False, "Base image", None,
                   "The base of the training image: any local JRE 17 image. Empty: "
                   "<code>trainchain/base-jre17:bookworm</code> (built from Debian packages when missing); the "
                   "Python recipes use the plain Debian base.")],
         request="Requests.image(repository, baseImage)"),
    dict(symbol="trainInContainer", cls="TrainInContainer",
         title="Trainchain: train in a locked-down container",
         doc="Trains in a locked-down container under the watcher (restarts from checkpoints), checks the gate and "
             "records the run in the run store.",
         fields=[F("repository", "String", True, "Repository folder", 'ConfigChecks.required(value, "repository")',
                   REPO_HELP),
                 F("data", "String", False, "Dataset folder", None,
                   "The dataset folder (IDX or CIFAR-10 binary). Empty: <code>dataset:</code> of "
                   "<code>trainchain.yaml</code>, else Fashion-MNIST from <code>/usr/share/datasets</code>."),
                 F("params", "String", False, "Hyperparameters file", None,
                   "A <code>params.json</code>. Empty: <code>params:</code> of <code>trainchain.yaml</code>, else the "
                   "built-in configuration."),
                 F("epochs", "Integer", False, "Epochs", 'ConfigChecks.atLeast(value, 1, "epochs")',
                   "Training epochs. Empty: the params, else <code>trainchain.yaml</code>."),
                 F("limit", "Integer", False, "Image limit", 'ConfigChecks.atLeast(value, 1, "the image limit")',
                   "At most this many training and test images (a quick run). Empty: all."),
                 F("memory", "String", False, "Memory limit", "ConfigChecks.memory(value)",
                   "The container's memory, e.g. <code>2g</code> (no swap on top). Empty: "
                   "<code>trainchain.yaml</code>, else 2g."),
                 F("cpus", "Double", False, "CPU limit", 'ConfigChecks.positive(value, "cpus")',
                   "The container's CPUs, e.g. <code>2</code> or <code>1.5</code>. Empty: "
                   "<code>trainchain.yaml</code>, else 2."),
                 F("restarts", "Integer", False, "Watcher restarts", 'ConfigChecks.between(value, 0, StepRequest.Train.MAX_RESTARTS, "restarts")',
                   "How often the watcher restarts a dead training container from its last checkpoint; "
                   "<code>0</code> turns the watcher off. Empty: <code>trainchain.yaml</code>, else 3."),
                 F("timeoutMinutes", "Long", False, "Timeout (minutes)",
                   'ConfigChecks.atLeast(value, 1, "the timeout")',
                   "The container is killed after this many minutes. Empty: 720."),
                 F("keepContainer", "boolean", False, "Keep the container", None,
                   "Leave the ended training container in place for inspection (it is removed by default)."),
                 *GATE,
                 F("outputDir", "String", False, "Output folder", None,
                   "This run's folder. Empty: <code>runs/&lt;run id&gt;/</code> next to the run store."),
                 BELOW],
         request="Requests.train(repository, data, params, epochs, limit, memory, cpus, restarts, timeoutMinutes, "
                 "keepContainer, metric, threshold, outputDir, defaults)"),
    dict(symbol="checkAccuracy", cls="CheckAccuracy",
         title="Trainchain: check the accuracy gate",
         doc="Reads evaluation.json and checks the gate; the verdict becomes the build result.",
         fields=[F("evaluation", "String", True, "Evaluation", 'ConfigChecks.required(value, "evaluation")',
                   "<code>evaluation.json</code>, the folder holding it, or a run's folder (as "
                   "<code>trainInContainer</code> returns it in <code>outputDir</code>)."),
                 *GATE,
                 F("direction", "String", False, "Direction", "ConfigChecks.direction(value)",
                   "<code>at_least</code> for scores (the default), <code>at_most</code> for losses."),
                 BELOW],
         request="Requests.gate(evaluation, metric, threshold, direction, defaults)"),
    dict(symbol="tuneHyperparameters", cls="TuneHyperparameters",
         title="Trainchain: tune hyperparameters",
         doc="Searches hyperparameters within a bounded budget, retrains, and e-mails the owner at the end.",
         fields=[F("repository", "String", True, "Repository folder", 'ConfigChecks.required(value, "repository")',
                   REPO_HELP),
                 F("parentRunId", "String", False, "Run below the gate", None,
                   "The <code>runId</code> of the training that fell below the gate (recorded as the search's "
                   "origin). Empty: none."),
                 F("strategy", "String", False, "Strategy", "ConfigChecks.strategy(value)",
                   "<code>grid</code>, <code>random</code> or <code>asha</code>. Empty: <code>tune:</code> of "
                   "<code>trainchain.yaml</code>, else asha."),
                 F("space", "String", False, "Search space", "ConfigChecks.space(value)",
                   "The params searched, separated by <code>;</code> or new lines, as "
                   "<code>trainchain tune --param</code> takes them: "
                   "<code>learning_rate=choice:0.001,0.004; batch_size=choice:64,128</code> (also "
                   "<code>uniform:</code>, <code>log_uniform:</code>, <code>int:</code> ranges). Empty: the "
                   "<code>tune: space:</code> of <code>trainchain.yaml</code>."),
                 F("maxTrials", "Integer", False, "Budget: trials", 'ConfigChecks.atLeast(value, 1, "maxTrials")',
                   "Trials started at most. The budget is never unbounded: empty takes <code>trainchain.yaml</code>, "
                   "else the engine's default."),
                 F("maxEpochs", "Integer", False, "Budget: epochs", 'ConfigChecks.atLeast(value, 1, "maxEpochs")',
                   "Epochs trained by all trials together, at most."),
                 F("maxMinutes", "Double", False, "Budget: minutes", 'ConfigChecks.positive(value, "maxMinutes")',
                   "Wall time of the search, at most."),
                 F("trialEpochs", "Integer", False, "Epochs per trial", 'ConfigChecks.atLeast(value, 1, "trialEpochs")',
                   "Epochs of a trial that runs to the end (ASHA's top rung)."),
                 F("owners", "String", False, "Owners' e-mail", "ConfigChecks.emails(value)",
                   "Who gets the e-mail at the end, comma-separated. Empty: <code>tune.notify</code> of "
                   "<code>trainchain.yaml</code>, else the global configuration's, else the commit's author."),
                 *GATE,
                 F("data", "String", False, "Dataset folder", None, "As for trainInContainer."),
                 F("limit", "Integer", False, "Image limit", 'ConfigChecks.atLeast(value, 1, "the image limit")',
                   "At most this many training and test images per trial."),
                 BELOW],
         request="Requests.tune(repository, parentRunId, strategy, space, maxTrials, maxEpochs, maxMinutes, trialEpochs, "
                 "owners, metric, threshold, data, limit, defaults)"),
    dict(symbol="watchContainer", cls="WatchContainer",
         title="Trainchain: watch a training container",
         doc="Follows a training container started by something else and restarts it from its checkpoints when it "
             "dies, like trainchain watch.",
         fields=[F("container", "String", True, "Container", 'ConfigChecks.required(value, "container")',
                   "The training container's name or id (on the agent's Docker)."),
                 F("outputDir", "String", False, "Output folder", None,
                   "The host folder mounted at the trainer's <code>--out</code>, when it cannot be read from the "
                   "container's mounts."),
                 F("restarts", "Integer", False, "Restarts", 'ConfigChecks.between(value, 0, StepRequest.Train.MAX_RESTARTS, "restarts")',
                   "Restarts at most. Empty: 3."),
                 F("timeoutMinutes", "Long", False, "Timeout (minutes)", 'ConfigChecks.atLeast(value, 1, "the timeout")',
                   "Give up (and kill the container) after this many minutes in all. Empty: 720.")],
         request="Requests.watch(container, outputDir, restarts, timeoutMinutes)"),
]

HEADER = "// Generated by plugin/tools/gen_steps.py from its field table; edit the table and run it again.\n"


def cap(s):
    return s[0].upper() + s[1:]


def java(step, kind):
    cls = step["cls"] + ("Step" if kind == "step" else "Builder")
    base = "TrainchainStep" if kind == "step" else "TrainchainBuilder"
    req = [f for f in step["fields"] if f[2]]
    opt = [f for f in step["fields"] if not f[2]]
    has_below = any(f[0] == "belowGate" for f in step["fields"])
    out = [HEADER, "package io.trainchain.jenkins;\n\n"]
    imports = ["hudson.Extension", "io.trainchain.engine.pipeline.StepRequest",
               "org.kohsuke.stapler.DataBoundConstructor", "org.kohsuke.stapler.DataBoundSetter"]
    if kind == "step":
        imports += ["org.jenkinsci.Symbol"]
    else:
        imports += ["java.util.function.UnaryOperator"]
    out += ["import %s;\n" % i for i in sorted(imports)]
    what = "Pipeline step {@code %s}" % step["symbol"] if kind == "step" else \
        "Freestyle build step of {@code %s}" % step["symbol"]
    out.append("\n/**\n * %s: %s\n * Binds fields only; see {@link Requests} and {@link StepRunner}.\n */\n" % (what, step["doc"]))
    out.append("public final class %s extends %s {\n" % (cls, base))
    for f in step["fields"]:
        out.append("    private %s%s %s;\n" % ("final " if f[2] else "", f[1], f[0]))
    out.append("\n    @DataBoundConstructor\n    public %s(%s) {\n" % (cls, ", ".join("%s %s" % (f[1], f[0]) for f in req)))
    for f in req:
        out.append("        this.%s = %s;\n" % (f[0], f[0]))
    out.append("    }\n")
    for f in step["fields"]:
        getter = ("is" if f[1] == "boolean" else "get") + cap(f[0])
        out.append("\n    public %s %s() {\n        return %s;\n    }\n" % (f[1], getter, f[0]))
        if not f[2]:
            out.append("\n    @DataBoundSetter\n    public void set%s(%s %s) {\n        this.%s = %s;\n    }\n"
                       % (cap(f[0]), f[1], f[0], f[0], f[0]))
    if kind == "step":
        out.append("\n    @Override\n    StepRequest request(Defaults defaults) {\n        return %s;\n    }\n"
                   % step["request"])
    else:
        # Freestyle fields may say ${WORKSPACE}, ${BUILD_NUMBER}...: each text field is expanded from the build's
        # environment (a Pipeline's Groovy strings are interpolated before the step sees them).
        texts = [f[0] for f in step["fields"] if f[1] == "String"]
        expanded = re.sub(r"\b(%s)\b" % "|".join(texts), r"env.apply(\1)", step["request"])
        out.append("\n    @Override\n    StepRequest request(Defaults defaults, UnaryOperator<String> env) {\n"
                   "        return %s;\n    }\n" % expanded)
    if has_below:
        out.append("\n    @Override\n    String belowGateResult() {\n        return belowGate;\n    }\n")
    out.append("\n    @Extension\n")
    if kind == "step":
        out.append('    @Symbol("%s")\n' % step["symbol"])
    out.append("    public static final class DescriptorImpl extends %s.DescriptorBase {\n" % base)
    if kind == "step":
        out.append('        @Override\n        public String getFunctionName() {\n            return "%s";\n        }\n\n'
                   % step["symbol"])
    out.append('        @Override\n        public String getDisplayName() {\n            return "%s";\n        }\n'
               % step["title"])
    out.append("    }\n}\n")
    return cls, "".join(out)


BEGIN_CHECKS = "        // Generated by tools/gen_steps.py from its field table: one check per field name, inherited by\n"
END_CHECKS = "        // End of the generated checks.\n"


def checks():
    """Each field name's check, once: a field name means the same thing (and is checked alike) in every step."""
    by_name = {}
    for step in STEPS:
        for f in step["fields"]:
            if f[4] is None:
                continue
            if by_name.setdefault(f[0], f[4]) != f[4]:
                raise SystemExit("field %s of %s is checked by %s but elsewhere by %s; give one of them another "
                                 "name, or the same check" % (f[0], step["symbol"], f[4], by_name[f[0]]))
    return by_name


def check_methods():
    """The doCheck methods of a DescriptorBase: Stapler finds public methods a descriptor inherits."""
    out = [BEGIN_CHECKS, "        // every step's (builder's) DescriptorImpl; edit the table, not these.\n"]
    for name, check in checks().items():
        out.append('\n        @POST\n        public FormValidation doCheck%s(@QueryParameter String value, '
                   '@AncestorInPath Item item) {\n            return Forms.forItem(item, () -> %s);\n        }\n'
                   % (cap(name), check))
    out.append(END_CHECKS)
    return "".join(out)


def with_checks(path):
    """The hand-written base class at path with its generated region (between the two markers) replaced."""
    with open(path) as fh:
        text = fh.read()
    begin, end = text.find(BEGIN_CHECKS), text.find(END_CHECKS)
    if begin < 0 or end < begin:
        raise SystemExit("%s lacks the generated-checks markers in its DescriptorBase" % path)
    return text[:begin] + check_methods() + text[end + len(END_CHECKS):]


def jelly(step):
    req = [f for f in step["fields"] if f[2]]
    opt = [f for f in step["fields"] if not f[2]]
    lines = ['<?jelly escape-by-default=\'true\'?>\n', "<!-- Generated by plugin/tools/gen_steps.py -->\n",
             '<j:jelly xmlns:j="jelly:core" xmlns:f="/lib/form">\n']

    def entry(f, ind):
        ctl = "<f:checkbox/>" if f[1] == "boolean" else "<f:textbox/>"
        return '%s<f:entry title="%s" field="%s">\n%s  %s\n%s</f:entry>\n' % (ind, f[3], f[0], ind, ctl, ind)
    for f in req:
        lines.append(entry(f, "  "))
    if opt:
        lines.append("  <f:advanced>\n")
        for f in opt:
            lines.append(entry(f, "    "))
        lines.append("  </f:advanced>\n")
    lines.append("</j:jelly>\n")
    return "".join(lines)


def main():
    src = "src/main/java/io/trainchain/jenkins"
    res = "src/main/resources/io/trainchain/jenkins"
    for step in STEPS:
        for kind in ("step", "builder"):
            cls, text = java(step, kind)
            with open(os.path.join(src, cls + ".java"), "w") as fh:
                fh.write(text)
            d = os.path.join(res, cls)
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, "config.jelly"), "w") as fh:
                fh.write(jelly(step))
            for f in step["fields"]:
                with open(os.path.join(d, "help-%s.html" % f[0]), "w") as fh:
                    fh.write("<div>\n  %s\n</div>\n" % f[5])
    for base in ("TrainchainStep", "TrainchainBuilder"):
        path = os.path.join(src, base + ".java")
        text = with_checks(path)
        with open(path, "w") as fh:
            fh.write(text)


if __name__ == "__main__":
    main()
