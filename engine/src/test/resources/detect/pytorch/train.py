import argparse
import os, sys

import torch.optim as optim
from model import Net
