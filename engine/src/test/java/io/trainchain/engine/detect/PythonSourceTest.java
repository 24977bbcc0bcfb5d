package io.trainchain.engine.detect;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PythonSourceTest {

    private static List<String> imports(String src) {
        return PythonSource.imports(PythonSource.tokenize(src)).stream()
                .map(i -> i.module() + "@" + i.line()).toList();
    }

    @Test
    void plainImportForms() {
        assertEquals(List.of("torch@1", "torch.nn@2", "numpy@3", "tensorflow@3", "sklearn.svm@4"), imports("""
                import torch
                import torch.nn as nn
                import numpy as np, tensorflow as tf
                from sklearn.svm import SVC
                """));
    }

    @Test
    void continuationsSemicolonsAndCompoundStatements() {
        assertEquals(List.of("os@1", "torch@2", "keras@3", "torch@4", "sklearn@5"), imports("""
                import os, \\
                    torch
                x = 1; import keras
                try: import torch
                except ImportError: from sklearn import svm
                """));
    }

    @Test
    void parenthesisedFromImportsSpanLines() {
        assertEquals(List.of("torch.nn@1", "json@5"), imports("""
                from torch.nn import (
                    Linear,
                    ReLU,
                )
                import json
                """));
    }

    @Test
    void stringsCommentsAndDocstringsAreNotCode() {
        assertEquals(List.of("json@9"), imports("""
                '''module docstring
                import torch
                '''
                # import torch
                s = "import torch"; t = 'from torch import nn'
                u = rb'import torch' + f"{x} import torch" + r"\\" + "\\"import torch"
                v = \"\"\"
                import tensorflow\"\"\"
                import json
                """));
    }

    @Test
    void relativeAndYieldFromAreNotFrameworkImports() {
        assertEquals(List.of(), imports("""
                from . import torch
                from .torch import nn
                def g():
                    yield from torch_batches()
                raise ValueError() from torch_error
                """));
    }

    @Test
    void lineNumbersSurviveMultiLineStrings() {
        assertEquals(List.of("torch@6"), imports("x = '''a\nb\nc'''\ny = \"\"\"\n\"\"\"\nimport torch\n"));
    }
}
