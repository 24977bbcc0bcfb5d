"""Service that might one day
import torch
and tensorflow."""
# import torch
import json

MESSAGE = "import torch"
HELP = '''
from torch import nn
import sklearn
'''
raw = r"C:\import torch\""
escaped = "a \" import torch"
greeting = f"{json} import keras"
data = b'import tensorflow'


def f():
    """
    import torch
    """
    return "from sklearn import svm"  # import torch
