import numpy as np
from sklearn.preprocessing import StandardScaler
