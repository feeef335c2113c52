#!/usr/bin/env python3
"""A plain baseline for the intent classifier: TF-IDF (words and character n-grams) and
logistic regression (scikit-learn), trained on the same Intents/ and the same cross-validation
folds as `orderbot eval-intents`, and measured on the same held-out files.

Input: `orderbot export-intents --folds K` on stdin (JSON lines with "fold"); held-out files
(text<TAB>intent<TAB>language, header line) as arguments. Prints one line per set:
accuracy, macro-F1, out_of_scope precision and recall. Benchmark tooling only: nothing in the
gateway runs Python.
"""
import csv
import json
import sys

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score
from sklearn.pipeline import make_pipeline, make_union


def model():
    features = make_union(
        TfidfVectorizer(lowercase=True, ngram_range=(1, 2), sublinear_tf=True),
        TfidfVectorizer(lowercase=True, analyzer="char_wb", ngram_range=(3, 4), sublinear_tf=True),
    )
    return make_pipeline(features, LogisticRegression(max_iter=2000, C=10))


def scores(name, truth, predicted):
    oos_precision = precision_score(truth, predicted, labels=["out_of_scope"], average="macro", zero_division=0)
    oos_recall = recall_score(truth, predicted, labels=["out_of_scope"], average="macro", zero_division=0)
    print(f"{name:<44} accuracy {accuracy_score(truth, predicted):.3f}   "
          f"macro-F1 {f1_score(truth, predicted, average='macro', zero_division=0):.3f}   "
          f"out_of_scope precision {oos_precision:.3f} recall {oos_recall:.3f}   examples {len(truth)}")


def main():
    rows = [json.loads(line) for line in sys.stdin if line.strip()]
    texts = [row["text"] for row in rows]
    intents = [row["intent"] for row in rows]
    folds = sorted({row["fold"] for row in rows})
    predicted = [None] * len(rows)
    for fold in folds:
        train = [i for i, row in enumerate(rows) if row["fold"] != fold]
        test = [i for i, row in enumerate(rows) if row["fold"] == fold]
        fitted = model().fit([texts[i] for i in train], [intents[i] for i in train])
        for i, label in zip(test, fitted.predict([texts[i] for i in test])):
            predicted[i] = label
    scores(f"baseline {len(folds)}-fold cross-validation", intents, predicted)
    fitted = model().fit(texts, intents)
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as file:
            labelled = [row for row in csv.reader(file, delimiter="\t")][1:]
        scores(f"baseline {path.rsplit('/', 1)[-1]}", [row[1] for row in labelled], list(fitted.predict([row[0] for row in labelled])))


if __name__ == "__main__":
    main()
