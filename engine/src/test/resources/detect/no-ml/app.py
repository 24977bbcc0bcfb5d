import json
import os.path
from http.server import HTTPServer

# This app has nothing to do with torch.
