import pickle
import _pickle
import cPickle
import dill
import cloudpickle
import jsonpickle
import shelve
import marshal
import joblib

with open("data.pkl", "rb") as fh:
    data = pickle.load(fh)  # expect: pickle-load
data = pickle.loads(blob)  # expect: pickle-load
data = pickle.Unpickler(fh).load()  # expect: pickle-load
data = _pickle.loads(blob)  # expect: pickle-load
data = cPickle.load(fh)  # expect: pickle-load
data = dill.load(fh)  # expect: dill-load
data = dill.loads(blob)  # expect: dill-load
dill.load_session("session.pkl")  # expect: dill-load
fn = cloudpickle.loads(blob)  # expect: cloudpickle-load
fn = cloudpickle.load(fh)  # expect: cloudpickle-load
obj = jsonpickle.decode(text)  # expect: jsonpickle-decode
db = shelve.open("cache.db")  # expect: shelve-open
code = marshal.loads(blob)  # expect: marshal-load
clf = joblib.load("model.joblib")  # expect: joblib-load
pickle.dump(data, fh)
blob = pickle.dumps(data)
joblib.dump(clf, "model.joblib")
text = jsonpickle.encode(obj)
from sklearn.externals import joblib as skjoblib
clf = skjoblib.load("old_model.pkl")  # expect: joblib-load
