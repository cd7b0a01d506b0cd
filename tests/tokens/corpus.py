#!/usr/bin/env python3
"""A deterministic, realistic chat corpus for the token-count test and benchmark.

Messages like the seed apps store them: companion chat in English with emoji, Bengali, Hindi and
other scripts (CJK, Cyrillic, Arabic), pasted code, markdown, URLs, numbers, SMS-style replies;
and, with --edge-cases, the inputs where tokenizers differ if they differ at all (empty and
whitespace-only text, special-token markers in user text, very long words, emoji ZWJ sequences,
combining marks, mixed scripts, random code points from every plane).

    corpus.py --messages N --seed S [--edge-cases] --out DIR

writes DIR/corpus.jsonl (one JSON string per line, for the Python reference) and DIR/corpus.copy
(`id<TAB>text` in PostgreSQL's COPY text format, for `\\copy`), the same messages, ids from 1.
Only the standard library, and only `random.Random(seed)`: the same seed gives the same corpus.
"""

import argparse
import json
import os
import random

ENGLISH = [
    "How was your day?",
    "I couldn't sleep last night, my mind kept racing about the interview.",
    "That's wonderful news! I'm really proud of you.",
    "Can you remind me what we talked about yesterday?",
    "I've been feeling a bit lonely since I moved to the new city.",
    "Let's try a quick breathing exercise: in for four, hold for four, out for six.",
    "It sounds like you're carrying a lot right now. Do you want to talk about it?",
    "My manager said the deadline moved to Friday, so I'm stressed.",
    "Honestly I DON'T know what to do anymore...",
    "We'd love a table for 4 at 7:30pm tonight, please.",
    "Your order #A-10293 has been confirmed and will arrive in 25-35 minutes.",
    "What's the difference between anxiety and stress?",
    "I'll be there at 9, can't wait!",
    "You mentioned your sister's birthday is next week. Have you picked a gift?",
    "She said \"it's fine\" but I don't think it's fine at all.",
    "Recommend me some chill lo-fi music for studying",
    "I listened to that playlist three times today, it's really calming.",
    "Thanks for listening. It helps more than you know.",
    "Remember: progress isn't linear, and small steps still count.",
    "ok",
    "lol yes",
    "hmm not sure tbh",
    "Good morning!! ☀️",
    "The meeting went better than expected, they liked my proposal.",
    "Can we reschedule our session to Tuesday at 3 PM (UTC+6)?",
    "I keep procrastinating, even on things I enjoy.",
    "What would you say to a friend who felt this way?",
    "Price: $1,249.99 — 15% off until 2026-12-01.",
    "Call me at +1 (555) 010-2233 or email jane.doe@example.com.",
    "I’m not sure you’re right about that, but I’ll think about it.",
    "Y'all won't believe what happened at the café.",
    "Step 1: write it down. Step 2: sleep on it. Step 3: decide.",
]

BENGALI = [
    "আমি আজ খুব ক্লান্ত বোধ করছি।",
    "তুমি কেমন আছো, বন্ধু?",
    "আমার পরীক্ষা আগামী সপ্তাহে, খুব চিন্তা হচ্ছে।",
    "চলো একটু গান শুনি, মন ভালো হয়ে যাবে।",
    "ধন্যবাদ, তোমার সাথে কথা বলে অনেক ভালো লাগলো।",
    "আজ বৃষ্টি হচ্ছে, আমি বাড়িতেই থাকবো।",
]
HINDI = [
    "नमस्ते! आज आपका दिन कैसा रहा?",
    "मुझे थोड़ी चिंता हो रही है, कल मेरा इंटरव्यू है।",
    "क्या आप मुझे कोई अच्छा गाना सुझा सकते हैं?",
    "धन्यवाद, आपसे बात करके अच्छा लगा।",
    "क्षमा करें, मैं समझ नहीं पाया।",
]
CHINESE = [
    "你好！今天过得怎么样？",
    "我最近工作压力很大，晚上总是睡不着。",
    "谢谢你一直听我说话。",
    "我们明天下午三点见面吧。",
    "这首歌让我想起了大学时光。",
]
JAPANESE = [
    "こんにちは！今日はどうでしたか？",
    "最近ちょっと疲れています。",
    "明日の会議は十時からです。",
    "ありがとうございます、とても助かりました。",
    "カフェでコーヒーを飲みながら勉強しています。",
]
KOREAN = [
    "안녕하세요! 오늘 하루 어땠어요?",
    "요즘 너무 바빠서 잠을 잘 못 자요.",
    "내일 저녁 7시에 예약하고 싶어요.",
    "정말 고마워요, 큰 도움이 됐어요.",
]
RUSSIAN = [
    "Привет! Как прошёл твой день?",
    "Я очень устал после работы, но всё хорошо.",
    "Можно забронировать столик на двоих на восемь вечера?",
    "Спасибо, что выслушал меня.",
    "Это «непростая» ситуация — давай обсудим её завтра.",
]
ARABIC = [
    "مرحبا! كيف كان يومك؟",
    "أشعر بالتوتر قليلاً بسبب الامتحانات.",
    "شكراً جزيلاً على مساعدتك.",
    "هل يمكنني حجز طاولة لشخصين الساعة الثامنة؟",
]
SCRIPTS = [BENGALI, HINDI, CHINESE, JAPANESE, KOREAN, RUSSIAN, ARABIC]

EMOJI = ["😊", "😂", "❤️", "🙏", "😭", "🔥", "✨", "👍🏽", "🎵", "🌧️", "☕", "💙", "🥺", "🤗", "🎉",
         "👨‍👩‍👧‍👦", "🏳️‍🌈", "👩🏾‍💻", "🧑‍🤝‍🧑", "🇧🇩", "🇮🇳", "1️⃣", "🫶🏻", "😮‍💨", "❤️‍🔥"]

CODE = [
    'def {f}(items):\n    """Return the {w} of the items."""\n    total = 0\n    for x in items:\n'
    '        if x is None:\n            continue\n        total += x * {n}\n    return total\n',
    'const {f} = async (userId) => {{\n  const {{ data, error }} = await supabase\n'
    "    .from('chat_messages')\n    .select('*')\n    .eq('user_id', userId)\n"
    "    .order('timestamp', {{ ascending: false }})\n    .limit({n});\n  if (error) throw error;\n"
    '  return data;\n}};\n',
    'SELECT user_id, count(*) AS n, max("timestamp")\nFROM public.chat_messages\n'
    "WHERE sender_type = 'user' AND \"timestamp\" > now() - interval '{n} days'\nGROUP BY 1\nORDER BY n DESC;\n",
    'fn {f}(v: &[i64]) -> Option<i64> {{\n    v.iter().copied().filter(|x| x % 2 == 0).max().map(|m| m * {n})\n}}\n',
    '{{\n  "model": "gpt-4o",\n  "messages": [{{"role": "user", "content": "{w}"}}],\n  "max_tokens": {n},\n'
    '  "temperature": 0.7\n}}\n',
    '$ curl -s https://api.example.com/v1/{w}?limit={n} \\\n    -H "Authorization: Bearer $TOKEN" | jq \'.items[] | .id\'\n',
    'Traceback (most recent call last):\n  File "app/{w}.py", line {n}, in {f}\n    result = client.chat(prompt)\n'
    "KeyError: '{w}'\n",
]
WORDS = ["average", "summary", "history", "context", "budget", "session", "mood", "playlist", "tokens",
         "reservation", "order", "memory", "insight", "feedback", "ritual", "persona"]


def english(rng):
    text = " ".join(rng.choice(ENGLISH) for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 4, 6])))
    roll = rng.random()
    if roll < 0.1:
        text = text.lower().rstrip(".!?")           # texting style
    elif roll < 0.15:
        text = text.upper()
    if rng.random() < 0.35:
        text += " " + "".join(rng.choice(EMOJI) for _ in range(rng.randint(1, 3)))
    return text


def other_script(rng):
    lines = rng.choice(SCRIPTS)
    text = " ".join(rng.choice(lines) for _ in range(rng.randint(1, 4)))
    if rng.random() < 0.3:                          # code-switching, as bilingual users write
        text += " " + rng.choice(ENGLISH)
    if rng.random() < 0.3:
        text += " " + rng.choice(EMOJI)
    return text


def code(rng):
    snippet = rng.choice(CODE).format(f="get_" + rng.choice(WORDS), w=rng.choice(WORDS), n=rng.randint(1, 500))
    fence = rng.choice(["python", "js", "sql", "rust", "json", "bash", ""])
    intro = rng.choice(["Can you check this?", "Here's the fix:", "Why does this fail?", "Try this:"])
    return f"{intro}\n\n```{fence}\n{snippet}```"


def assistant_reply(rng):
    """A longer AI reply: paragraphs and a markdown list, sometimes another script."""
    parts = [english(rng), ""]
    for i in range(rng.randint(2, 6)):
        parts.append(f"{i + 1}. **{rng.choice(WORDS).title()}**: {rng.choice(ENGLISH)}")
    parts += ["", english(rng)]
    if rng.random() < 0.2:
        parts.append(other_script(rng))
    if rng.random() < 0.2:
        parts.append(f"More: https://example.com/{rng.choice(WORDS)}?id={rng.randint(1, 99999)}&lang=en")
    return "\n".join(parts)


def message(rng):
    roll = rng.random()
    if roll < 0.45:
        return english(rng)
    if roll < 0.70:
        return assistant_reply(rng)
    if roll < 0.88:
        return other_script(rng)
    if roll < 0.97:
        return code(rng)
    # a long paste: several replies and code blocks together
    return "\n\n".join(rng.choice([assistant_reply, code, other_script])(rng) for _ in range(rng.randint(5, 15)))


def random_code_points(rng, n):
    """Random characters from every plane (no NUL, no surrogates: PostgreSQL text holds neither)."""
    out = []
    for _ in range(n):
        while True:
            cp = rng.choice([rng.randint(1, 0x7F), rng.randint(0x80, 0x7FF), rng.randint(0x800, 0xFFFF),
                             rng.randint(0x10000, 0x10FFFF), rng.randint(0x1F300, 0x1FAFF)])
            if not 0xD800 <= cp <= 0xDFFF:
                break
        out.append(chr(cp))
    return "".join(out)


def edge_cases(rng):
    cases = [
        "", " ", "  ", "\n", "\r\n", "\t", " \n \n ", "   \t\t\n\n\n   ", " " * 1000, "\n" * 300, "\t" * 50,
        "hello   ", "   hello", "hello\n\n\n\nworld", "a\u00a0b", "a\u2003b\u3000c", "\u200b", "\ufeffBOM first",
        "<|endoftext|>", "hello <|endoftext|> world", "<|endoftext|><|endoftext|>",
        "<|fim_prefix|>x<|fim_middle|>y<|fim_suffix|>", "<|endofprompt|>", "<|im_start|>user\nhi<|im_end|>",
        "<|endoftext", "endoftext|>",
        "a" * 3000, "pneumonoultramicroscopicsilicovolcanoconiosis" * 40, "1234567890" * 200,
        "ab" * 1500 + " " + "Z" * 800, "x" * 5000 + "y",
        "aGVsbG8gd29ybGQ" * 100, "https://example.com/" + "a/b-c_d?e=f&" * 150,
        "👨‍👩‍👧‍👦", "👨‍👩‍👧‍👦" * 50, "🏳️‍🌈🏳️‍⚧️", "👩🏽‍💻👨🏿‍🚀🧑🏻‍🍳", "🧑‍🤝‍🧑", "🇧🇩🇮🇳🇯🇵🇺🇸🇪🇺", "1️⃣2️⃣#️⃣*️⃣",
        "😀" * 500, "❤\ufe0f", "\u200d\u200d\u200d",
        "e\u0301", "cafe\u0301 vs caf\u00e9", "Z\u0324\u0354\u0367\u0311\u0313a\u0308\u0356\u032d\u0308\u0307lg\u030c\u0317o",
        "\u0301\u0302\u0303 leading combining marks", "a" + "\u0301" * 300,
        "क्षत्रिय", "ক্ষমা", "\u1100\u1161\u11a8", "각", "ｱｲｳｴｵ ＡＢＣ１２３", "٣٤٥ ١٢٣ १२३ ১২৩",
        "Hello世界مرحباПриветनमस्तेহ্যালো", "abc\u202edef\u202c", "\u200fמשהו\u200e",
        "𝕳𝖊𝖑𝖑𝖔 𝔀𝓸𝓻𝓵𝓭", "𠀀𠀁𠀂 𪚥", "𝄞𝄢", "\U0001F9D1\u200d\U0001F4BB",
        "I'M", "YOU'RE", "they’ll", "'s", " 's", "'S'S'S", "don't won't can't shouldn't've",
        "!!!???...", "...", "—–-", "«»“”„", "¯\\_(ツ)_/¯", "(╯°□°)╯︵ ┻━┻",
        "\x01\x02\x1f\x7f", "\u0085next line", "line\u2028separator\u2029para", "tab\tin\tthe\tmiddle",
        "3.14159", "1,000,000.00", "2026-11-23T15:04:05Z", "12345678901234567890", "0x7fffffff", "1e-10",
        "a\r\nb\rc\nd", " \r\n\r\n ", "word\n", "\nword",
    ]
    cases += [random_code_points(rng, rng.randint(1, 200)) for _ in range(300)]
    return cases


def corpus(messages, seed, with_edge_cases):
    rng = random.Random(seed)
    out = edge_cases(rng) if with_edge_cases else []
    out += [message(rng) for _ in range(messages)]
    return out


def copy_field(text):
    """PostgreSQL COPY text format: backslash, newline, carriage return and tab escaped."""
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, required=True)
    ap.add_argument("--seed", type=int, default=20261123)
    ap.add_argument("--edge-cases", action="store_true")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    texts = corpus(args.messages, args.seed, args.edge_cases)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "corpus.jsonl"), "w", encoding="utf-8") as f:
        f.writelines(json.dumps(t) + "\n" for t in texts)
    with open(os.path.join(args.out, "corpus.copy"), "w", encoding="utf-8", newline="") as f:
        f.writelines(f"{i}\t{copy_field(t)}\n" for i, t in enumerate(texts, 1))
    size = sum(len(t.encode()) for t in texts)
    print(f"{len(texts)} messages, {size} bytes (UTF-8)")


if __name__ == "__main__":
    main()
