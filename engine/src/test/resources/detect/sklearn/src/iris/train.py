from sklearn.linear_model import LogisticRegression
from . import data
