from model import *
import torch.nn.functional as F
