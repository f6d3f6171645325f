#!/bin/bash
# The shipped Fashion-MNIST recipe against PyTorch fp32 on the same recipe, once per seed given:
# each run on a copy of the conf with that seed, sparkprop in a fresh JVM, the order alternated
# from seed to seed. One line per seed: the time to 88% test accuracy and the epoch, and the
# seconds of the first ten epochs, each side and as a ratio (README, "Where it stands").
#   src/bench/recipe_seeds.sh 1 2 3 4 5 6
# Needs a build (./submit.sh makes one), Debian's dataset-fashion-mnist and python3-torch.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -gt 0 ] || { echo "usage: $0 SEED..." >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
k=0
for seed in "$@"; do
  [[ "$seed" =~ ^[0-9]+$ ]] || { echo "$0: a seed is a number, got '$seed'" >&2; exit 2; }
  k=$((k + 1))
  conf="$out/fashion-mnist-$seed.properties"
  sed "s/^seed=.*/seed=$seed/" conf/fashion-mnist.properties > "$conf"
  if [ $((k % 2)) -eq 1 ]; then order="sparkprop pytorch"; else order="pytorch sparkprop"; fi
  for side in $order; do
    if [ "$side" = sparkprop ]; then
      ./submit.sh benchmark --recipe "$conf" --rounds 1 --output "$out/sparkprop-$seed.json" > "$out/sparkprop-$seed.log" 2>&1 \
        || { tail -20 "$out/sparkprop-$seed.log" >&2; exit 1; }
    else
      /usr/bin/python3 src/bench/fashion_pytorch.py --conf "$conf" --dtype float32 --threads 1 > "$out/pytorch-$seed.log" 2>&1 \
        || { tail -20 "$out/pytorch-$seed.log" >&2; exit 1; }
    fi
  done
  python3 - "$out/sparkprop-$seed.json" "$out/pytorch-$seed.log" "$seed" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["runs"]["as the file says"][0]
lines = open(sys.argv[2]).read().strip().splitlines()
t = json.loads(lines[-1])
epochs = [l.split() for l in lines if l.startswith("epoch")]  # epoch N  S s  test accuracy A
t_epoch = next((int(e[1]) for e in epochs if float(e[-1]) >= t["target"]), None)
s10, t10 = s["secondsAtEpochEnd"][9], float(epochs[9][2])
def ratio(a, b):
    return f"{a / b:.2f}" if a and b else "-"
print(f"seed {sys.argv[3]}: to 88% sparkprop {s['secondsToTarget'] or float('nan'):.2f} s (epoch {s['epochToTarget']}),"
      f" PyTorch {t['secondsToTarget'] or float('nan'):.2f} s (epoch {t_epoch}), ratio {ratio(s['secondsToTarget'], t['secondsToTarget'])};"
      f" ten epochs {s10:.2f} s against {t10:.1f} s, ratio {ratio(s10, t10)};"
      f" after 20 epochs {s['finalAccuracy']:.4f} against {t['finalAccuracy']:.4f}", flush=True)
PY
done
