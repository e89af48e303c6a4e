"""Writes the example artifacts. It never loads (unpickles) anything.

- benign_model.pkl: plain data (a dict of lists and numbers), written with pickle.dumps.
- MALICIOUS_DEMO_do_not_load.pkl: a hand-assembled protocol-0 pickle whose loading would call
  os.system("echo ..."). It exists only so that `pickleguard scan` and `pickleguard inspect`
  have something to flag. Never pass it to pickle.load, torch.load or joblib.load.
"""
import pickle
from pathlib import Path

HERE = Path(__file__).parent

benign = {"weights": [0.25, -1.5, 3.0], "bias": 0.1, "epoch": 3, "labels": ("cat", "dog")}
(HERE / "benign_model.pkl").write_bytes(pickle.dumps(benign, protocol=4))

# GLOBAL 'os system', MARK, STRING, TUPLE, REDUCE, STOP: what a malicious __reduce__ produces.
malicious = (
    b"cos\nsystem\n"
    b"(S'echo PickleGuard demo: loading this file would run a shell command'\n"
    b"tR."
)
(HERE / "MALICIOUS_DEMO_do_not_load.pkl").write_bytes(malicious)
