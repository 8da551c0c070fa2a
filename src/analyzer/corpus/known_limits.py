# Dangerous code that static analysis does not follow; the kernel guard (L2) sees these loads
# when they happen. Kept in the corpus so the measured recall is honest.
import pickle
name = "pic" + "kle"
__import__(name).loads(blob)  # expect: pickle-load
exec(code_from_somewhere)  # expect: pickle-load
loaders = {"p": pickle.loads}
loaders["p"](blob)  # expect: pickle-load
def get_loader():
    return pickle.loads
get_loader()(blob)  # expect: pickle-load
