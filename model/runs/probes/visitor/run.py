#!/usr/bin/env python3
"""Ten everyday rules a visitor might type, in formats of their own: eight examples on common
words, four query words outside them, greedy, exact match. Prints a markdown table.

    python3 model/runs/probes/visitor/run.py ICL_BINARY WEIGHTS.bin [WEIGHTS.bin ...]
"""
import json
import subprocess
import sys

# Three visitors: eight examples on common words each, four query words outside them.
SETS = [
    (["garden", "pencil", "river", "candle", "basket", "mirror", "ladder", "window"],
     ["wombat", "zonk", "quiver", "jumble"]),
    (["apple", "house", "table", "music", "water", "paper", "tiger", "orange"],
     ["gravel", "plinth", "banjo", "sprout"]),
    (["cat", "dog", "sun", "moon", "tree", "book", "fish", "road"],
     ["kettle", "fog", "marble", "twig"]),
]

RULES = {
    "add ed": lambda w: w + "ed",
    "capitalise": lambda w: w[:1].upper() + w[1:],
    "swap the first two letters": lambda w: w[1] + w[0] + w[2:],
    "drop the last letter": lambda w: w[:-1],
    "double each letter": lambda w: "".join(c + c for c in w),
    "wrap in brackets": lambda w: "[" + w + "]",
    "last letter to the front": lambda w: w[-1] + w[:-1],
    "uppercase the last letter": lambda w: w[:-1] + w[-1].upper(),
    "reverse": lambda w: w[::-1],
    "count the vowels": lambda w: str(sum(c in "aeiou" for c in w)),
}

# (name, one example written out, the query's prompt ending)
FORMATS = {
    "`in: x` / `out: y` (the default)": (lambda x, y: f"in: {x}\nout: {y}\n", lambda q: f"in: {q}\nout:"),
    "`x -> y`": (lambda x, y: f"{x} -> {y}\n", lambda q: f"{q} ->"),
    "`Q: x` / `A: y`": (lambda x, y: f"Q: {x}\nA: {y}\n", lambda q: f"Q: {q}\nA:"),
    "`x, y`": (lambda x, y: f"{x}, {y}\n", lambda q: f"{q},"),
    "`x => y`": (lambda x, y: f"{x} => {y}\n", lambda q: f"{q} =>"),
    "`Word: x` / `Answer: y`": (lambda x, y: f"Word: {x}\nAnswer: {y}\n", lambda q: f"Word: {q}\nAnswer:"),
    "`\"x\" = \"y\"`": (lambda x, y: f'"{x}" = "{y}"\n', lambda q: f'"{q}" ='),
}


def complete(icl, weights, prompt):
    out = subprocess.run(
        [icl, "complete", "--file", weights, "--json", "--max-tokens", "24", "--prompt",
         prompt.replace("\n", "\\n")],
        check=True, capture_output=True, text=True).stdout
    return json.loads(out)["text"].strip()


def main():
    icl, weights = sys.argv[1], sys.argv[2:]
    print("| format | " + " | ".join(weights) + " |")
    print("|---|" + "---|" * len(weights))
    totals = [0] * len(weights)
    for name, (shot, ask) in FORMATS.items():
        row = []
        for i, w in enumerate(weights):
            right, wrong = 0, None
            for (examples, queries), rule in ((s, r) for s in SETS for r in RULES.values()):
                shots = "".join(shot(x, rule(x)) for x in examples)
                for q in queries:
                    got = complete(icl, w, shots + ask(q))
                    want = rule(q).strip('"')
                    if got.strip('"') == want:
                        right += 1
                    elif wrong is None:
                        wrong = f"`{q}` → `{got[:16]}`"
            totals[i] += right
            asked = len(SETS) * len(RULES) * 4
            row.append(f"{right} of {asked}" + (f" ({wrong})" if wrong and 2 * right < asked else ""))
        print(f"| {name} | " + " | ".join(row) + " |")
    n = len(FORMATS) * len(SETS) * len(RULES) * 4
    print("| all | " + " | ".join(f"{t} of {n} ({100 * t / n:.0f} %)" for t in totals) + " |")


if __name__ == "__main__":
    main()
