# Fine-tuning a text classifier, written like the Hugging Face course notebooks.
# Issue 17 shapes: folders written earlier, local paths in names, placeholders, mutable
# revisions, evaluate.load, automagic pip, the PyTorch wheel index.
# %%
%pip install -q -f https://download.pytorch.org/whl/torch_stable.html torch==2.3.1
%pip install --index-url https://download.pytorch.org/whl/cu121 torchvision
pip install -q transformers datasets evaluate accelerate
pip install --index-url http://pypi.internal.example/simple private-tokenizers  # expect: pip-http-index
# %%
import numpy as np
import evaluate
from datasets import load_dataset
from transformers import (
    AutoModelForSequenceClassification,
    AutoTokenizer,
    Trainer,
    TrainingArguments,
)

checkpoint = "distilbert-base-uncased"
PINNED = "714eb0fa89d2f80546fda750413ed43d93601a13"
tokenizer = AutoTokenizer.from_pretrained(checkpoint, revision=PINNED)
raw = load_dataset("imdb", revision="e6281661ce1c48d982bc483cf8a173c1bbeb5d31")
# %%
# The model card says: model = AutoModel.from_pretrained(...)
model = AutoModelForSequenceClassification.from_pretrained(...)
model = AutoModelForSequenceClassification.from_pretrained("<your-model-id>")
model = AutoModelForSequenceClassification.from_pretrained(checkpoint, num_labels=2, revision="main")  # expect: hf-unpinned-revision
fp16 = AutoModelForSequenceClassification.from_pretrained(checkpoint, revision="fp16")  # expect: hf-unpinned-revision
pr = AutoModelForSequenceClassification.from_pretrained(checkpoint, revision="refs/pr/22")  # expect: hf-unpinned-revision
tagged = AutoModelForSequenceClassification.from_pretrained(checkpoint, revision="v1.0")  # expect: hf-unpinned-revision
# %%
accuracy = evaluate.load("accuracy")  # expect: hf-evaluate-load
f1 = evaluate.load("./metrics/my_f1.py")


def compute_metrics(eval_pred):
    logits, labels = eval_pred
    predictions = np.argmax(logits, axis=-1)
    return accuracy.compute(predictions=predictions, references=labels)


# %%
args = TrainingArguments(output_dir="imdb-distilbert", num_train_epochs=1, evaluation_strategy="epoch")
trainer = Trainer(model=model, args=args, tokenizer=tokenizer, compute_metrics=compute_metrics)
trainer.train()
trainer.save_model("imdb-distilbert/final")
model.save_pretrained("my_awesome_model")
tokenizer.save_pretrained("my_awesome_model")
# %%
best = AutoModelForSequenceClassification.from_pretrained("imdb-distilbert/checkpoint-500")
final = AutoModelForSequenceClassification.from_pretrained("imdb-distilbert/final")
reloaded = AutoModelForSequenceClassification.from_pretrained("my_awesome_model")
tok2 = AutoTokenizer.from_pretrained("my_awesome_model")
other = AutoModelForSequenceClassification.from_pretrained("my_other_model")  # expect: hf-unpinned-revision
cached = AutoModelForSequenceClassification.from_pretrained("bert-base-cased", local_files_only=True)
# %%
export_dir = "./exported/distilbert-imdb"
exported = AutoModelForSequenceClassification.from_pretrained(export_dir)
hub_name = "lvwerra/distilbert-imdb"
from_hub = AutoModelForSequenceClassification.from_pretrained(hub_name)  # expect: hf-unpinned-revision
run_dir = f"./runs/{checkpoint}"
from_run = AutoModelForSequenceClassification.from_pretrained(f"./runs/{checkpoint}/best")
