# Marker words no training format has, against trained ones: k = 8, greedy, 6 rules x 6 queries.
# Usage, from the repository root: python3 model/runs/probes/l2-open/unseen-markers.py CHECKPOINT.bin
import subprocess, json, sys
C = sys.argv[1]
ex = ["stuck","mystery","water","take","simple","volcano","type","keen"]
qs = ["alive","orange","engine","island","garden","pencil"]
rules = {
 "upper": str.upper, "reverse": lambda s: s[::-1], "capitalise": lambda s: s[:1].upper()+s[1:],
 "swap2": lambda s: s[1]+s[0]+s[2:], "add ed": lambda s: s+"ed", "drop last": lambda s: s[:-1],
}
pairs = [("in","out"),("Q","A"),("Word","Answer"),("before","after"),("Before","After"),("English","French"),("singular","plural"),("noun","verb")]
tot = {}
for a,b in pairs:
    ok = 0; n = 0
    for rn, f in rules.items():
        for q in qs:
            p = "".join(f"{a}: {x}\n{b}: {f(x)}\n" for x in ex) + f"{a}: {q}\n{b}: "
            r = subprocess.run(["target/release/icl","complete","--file",C,"--prompt",p,"--json"],capture_output=True,text=True)
            t = json.loads(r.stdout)["text"].split("\n")[0].strip()
            ok += t == f(q); n += 1
    print(f"{a}/{b}: {ok}/{n}", flush=True)
