#!/usr/bin/env python3
"""The reference token counts: OpenAI's own `tiktoken`, loaded offline.

tiktoken downloads its BPE files from openaipublic.blob.core.windows.net and caches them under
$TIKTOKEN_CACHE_DIR with the SHA-1 of the URL as the file name. Here the cache is seeded from the
tiktoken-rs crate's copies (TIKTOKEN_RS_ASSETS), so the encodings are built by tiktoken's own
constructors (tiktoken_ext.openai_public: its regex, its special tokens), and tiktoken checks each
file against the SHA-256 it pins. A download attempt fails loudly instead of hanging.

    reference.py check CORPUS.jsonl DB.tsv
        DB.tsv: `id<TAB>md5<TAB>o200k_base<TAB>cl100k_base` per message, from convo.count_tokens.
        Compares every message in both encodings; prints the first mismatches and ends with
        `tokens: N passed, M failed` (one check = one message in one encoding). Exit 1 on any.
    reference.py stored CORPUS.jsonl STORED.tsv
        STORED.tsv: `id<TAB>token_count` of rows written to the tables (o200k_base).
    reference.py bench CORPUS.jsonl SECONDS
        Single-threaded encode_ordinary over the corpus, message by message, for SECONDS;
        prints `passes seconds bytes tokens` (tokens: of one pass).
"""

import hashlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BLOBS = {  # as in tiktoken_ext.openai_public
    "o200k_base": "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
    "cl100k_base": "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
}
ENCODINGS = list(BLOBS)
SHOW_MISMATCHES = 10
MAX_STORED_CHARS = 20000  # the content columns' length checks; test_tokens.sh stores those that fit


def offline_encoding(name):
    import tiktoken
    import tiktoken.load

    assets = os.environ.get("TIKTOKEN_RS_ASSETS")
    if not assets:
        sys.exit("reference.py: TIKTOKEN_RS_ASSETS (the tiktoken-rs crate's assets folder) is not set")
    cache = ROOT / ".tools" / "tiktoken-cache"
    cache.mkdir(parents=True, exist_ok=True)
    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache)
    source = Path(assets) / f"{name}.tiktoken"
    cached = cache / hashlib.sha1(BLOBS[name].encode()).hexdigest()
    if not cached.exists() or cached.read_bytes() != source.read_bytes():
        shutil.copyfile(source, cached)

    def no_download(blobpath):
        raise RuntimeError(f"tiktoken wanted to download {blobpath}: the offline copy is missing or "
                           f"its SHA-256 is not the one tiktoken pins ({source})")

    tiktoken.load.read_file = no_download
    return tiktoken.get_encoding(name)


def load_corpus(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def read_tsv(path):
    rows = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            rows[int(fields[0])] = fields[1:]
    return rows


def preview(text, width=60):
    r = repr(text)
    return r if len(r) <= width else r[:width] + f"… ({len(text)} chars)"


def check(corpus_path, db_path):
    texts = load_corpus(corpus_path)
    db = read_tsv(db_path)
    encodings = {name: offline_encoding(name) for name in ENCODINGS}
    passed = failed = 0
    shown = []
    for i, text in enumerate(texts, 1):
        row = db.get(i)
        if row is None or row[0] != hashlib.md5(text.encode()).hexdigest():
            failed += len(ENCODINGS)
            shown.append(f"  #{i} {preview(text)}: the database "
                         f"{'has no such row' if row is None else 'holds different text (load error)'}")
            continue
        for name, got in zip(ENCODINGS, row[1:]):
            want = len(encodings[name].encode_ordinary(text))
            if got == str(want):
                passed += 1
            else:
                failed += 1
                shown.append(f"  #{i} {name}: convo.count_tokens = {got}, tiktoken = {want}  {preview(text)}")
    extra = sorted(set(db) - set(range(1, len(texts) + 1)))
    if extra:
        failed += 1
        shown.append(f"  the database returned rows the corpus does not have: {extra[:5]}")
    return passed, failed, shown


def stored(corpus_path, stored_path):
    texts = load_corpus(corpus_path)
    o200k = offline_encoding("o200k_base")
    rows = read_tsv(stored_path)
    passed = failed = 0
    shown = []
    missing = [i for i, t in enumerate(texts, 1) if len(t) <= MAX_STORED_CHARS and i not in rows]
    if missing:
        failed += len(missing)
        shown.append(f"  {len(missing)} messages were not stored, e.g. #{missing[0]} {preview(texts[missing[0] - 1])}")
    for i, (count,) in sorted(rows.items()):
        want = len(o200k.encode_ordinary(texts[i - 1]))
        if count == str(want):
            passed += 1
        else:
            failed += 1
            shown.append(f"  #{i} stored token_count = {count}, tiktoken = {want}  {preview(texts[i - 1])}")
    return passed, failed, shown


def bench(corpus_path, seconds):
    texts = load_corpus(corpus_path)
    enc = offline_encoding("o200k_base")
    size = sum(len(t.encode()) for t in texts)
    tokens = sum(len(enc.encode_ordinary(t)) for t in texts)  # warm-up pass, and the total
    passes, start = 0, time.perf_counter()
    while True:
        for t in texts:
            enc.encode_ordinary(t)
        passes += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            break
    print(passes, f"{elapsed:.6f}", size, tokens)


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("check", "stored", "bench"):
        sys.exit(__doc__)
    command, corpus_path, arg = sys.argv[1:]
    if command == "bench":
        bench(corpus_path, float(arg))
        return
    passed, failed, shown = (check if command == "check" else stored)(corpus_path, arg)
    if shown:
        print(f"first mismatches ({min(len(shown), SHOW_MISMATCHES)} of {len(shown)}):")
        print("\n".join(shown[:SHOW_MISMATCHES]))
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
