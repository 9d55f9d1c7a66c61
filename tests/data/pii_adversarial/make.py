#!/usr/bin/env python3
"""Writes the adversarial personal-data corpus (issue 16): contacts that hide
card numbers, phones, e-mails and identity numbers in every form cqa must
catch, in every place it writes. `planted.tsv` lists what must never show
(kind, value); tests/pii_adversarial.rs scans everything cqa writes for it.
Run from this folder: python3 make.py"""
import json, os, shutil

HERE = os.path.dirname(os.path.abspath(__file__))
C = os.path.join(HERE, "contacts")
shutil.rmtree(C, ignore_errors=True)
os.makedirs(C)
planted = []

def luhn_complete(prefix15):
    for d in "0123456789":
        s = prefix15 + d
        t = 0
        for i, c in enumerate(reversed(s)):
            v = int(c)
            if i % 2:
                v *= 2
                if v > 9:
                    v -= 9
            t += v
        if t % 10 == 0:
            return s
    raise ValueError

def card(n):
    # Distinct Luhn-valid cards: 4276 38nn 1234 5xxx
    return luhn_complete("42763%02d%08d" % (n, 13572468 + n * 1111)[:15])

def group(c, sep, sizes=(4, 4, 4, 4)):
    out, i = [], 0
    for s in sizes:
        out.append(c[i:i + s]); i += s
    return sep.join(out)

def to_digits(s, zero):
    return "".join(chr(zero + int(ch)) if ch.isdigit() else ch for ch in s)

WORDS = ["ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"]
def spoken(digits):
    return " ".join(WORDS[int(d)] for d in digits)

THOUSANDS = {1: "тысяча", 2: "две тысячи", 3: "три тысячи", 4: "четыре тысячи", 5: "пять тысяч",
             6: "шесть тысяч", 7: "семь тысяч", 8: "восемь тысяч", 9: "девять тысяч"}
HUND = ["", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот"]
TENS = ["", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят", "девяносто"]
TEENS = ["десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать",
         "шестнадцать", "семнадцать", "восемнадцать", "девятнадцать"]
def words4(g):
    n = int(g)
    out = []
    if n >= 1000:
        out.append(THOUSANDS[n // 1000])
    n %= 1000
    if n >= 100:
        out.append(HUND[n // 100])
    n %= 100
    if 10 <= n < 20:
        out.append(TEENS[n - 10])
    else:
        if n >= 20:
            out.append(TENS[n // 10])
        if n % 10:
            out.append(WORDS[n % 10])
    return " ".join(out)

n = 0
truth = []
def contact(text, kind, value, speaker="agent", **extra):
    """One native contact whose agent turn carries `text`."""
    global n
    n += 1
    identifier = any(k in extra for k in ("agent_name", "team", "queue", "id", "metadata"))
    cid = extra.pop("id", "PII-%03d" % n)
    c = {"id": cid, "channel": "voice", "agent_id": extra.pop("agent_id", "A%03d" % (n % 7 + 1)),
         "agent_name": extra.pop("agent_name", "Оператор %d" % (n % 7 + 1)),
         "team": extra.pop("team", "Группа %d" % (n % 3 + 1)), "queue": extra.pop("queue", "cards"),
         "started_at": "2026-11-%02dT10:00:00+03:00" % (n % 28 + 1), "duration_s": 60.0,
         "metadata": extra.pop("metadata", {"category": "block", "csat": 4}),
         "turns": [
             {"speaker": "agent", "text": "Добрый день! Банк «Пример», меня зовут Ольга, наш разговор записывается.", "start": 0.0, "end": 4.0},
             {"speaker": "customer", "text": "Здравствуйте, хочу заблокировать карту.", "start": 4.5, "end": 7.0},
             {"speaker": speaker, "text": text, "start": 7.5, "end": 20.0},
             {"speaker": "agent", "text": "Спасибо за обращение, всего доброго!", "start": 21.0, "end": 24.0},
         ]}
    c.update(extra)
    with open(os.path.join(C, "%s.json" % cid.replace("/", "_")), "w", encoding="utf-8") as f:
        json.dump(c, f, ensure_ascii=False, indent=1)
    if value:
        planted.append((kind, value))
    # What the turns hold, for detector precision and recall.
    in_turn = kind if value and not identifier else ""
    truth.append((cid, in_turn))
    return c

LONG = "x" * 200
# ---- cards in every separator and digit form (1-22)
seps = {"space": " ", "nbsp": "\u00a0", "thin": "\u2009", "narrow_nbsp": "\u202f", "ideographic": "\u3000",
        "figure": "\u2007", "en_dash": "\u2013", "em_dash": "\u2014", "minus": "\u2212", "hyphen": "\u2010",
        "slash": "/", "dot": ".", "none": ""}
for i, (name, sep) in enumerate(seps.items()):
    c = card(i)
    contact("Уточните, какую карту блокируем: %s, верно?" % group(c, sep), "card", c)
for i, zero in enumerate([0xFF10, 0x660, 0x6F0, 0x966, 0x1D7CE]):
    c = card(20 + i)
    contact("Ваша карта %s, верно?" % to_digits(group(c, " "), zero), "card", c)
c = card(30); contact("Ваша карта %s, верно?" % to_digits(group(c, "\u00a0"), 0xFF10), "card", c)
c = card(31); contact("карта%s подтверждена" % c, "card", c)
amex = "378282246310005"  # the usual Amex test number, Luhn-valid
contact("Amex %s" % group(amex, " ", (4, 6, 5)), "card", amex)
# ---- spoken (23-30)
c = card(33); contact("Номер карты %s, верно?" % spoken(c), "card", c)
c = card(34); contact("Номер карты %s %s, верно?" % (c[:8], spoken(c[8:])), "card", c)
c = card(35); contact("Номер карты %s, верно?" % ", ".join(words4(c[i:i + 4]) for i in range(0, 16, 4)).replace(",", ""), "card", c)
c = card(36); contact("Номер карты %s\u00a0%s верно?" % (spoken(c[:8]), spoken(c[8:])), "card", c)
# ---- the repro: cut quotes (31-40)
for i, pad in enumerate([0, 30, 60, 85, 90, 95, 120, 150]):
    c = card(40 + i)
    contact("y" * pad + " Блокирую карточку, вто номер %s, верно? %s" % (group(c, " "), LONG), "card", c)
c = card(50); contact("Блокирую, номер %s, верно? %s" % (spoken(c), LONG), "card", c)
c = card(51); contact("Блокирую, номер %s, верно? %s" % (group(c, "\u00a0"), LONG), "card", c)
c = card(52); contact("%s Блокирую, номер %s" % (LONG, group(c, "\u2013")), "card", c)
# misheard (no Luhn) card-shaped number
bad = card(53)[:15] + str((int(card(53)[15]) + 1) % 10)
contact("Карта %s, правильно?" % group(bad, " "), "card", bad)
# ---- phones (45-54)
for text, value in [
    ("Перезвоните на +7 (916) 482-73-15, пожалуйста.", "79164827315"),
    ("Мой телефон 8\u00a0916\u00a0482\u00a073\u00a016.", "89164827316"),
    ("Звоните в Лондон: +44 20 7946 0958.", "442079460958"),
    ("Call me at +1 (212) 555-0199, thanks.", "12125550199"),
    ("Домашний телефон 555-12-34, после шести.", "5551234"),
    ("Телефон ８ ９１６ ４８２ ７３ １７.", "89164827317"),
    ("Мой номер 8.916.482.73.18, запишите.", "89164827318"),
    ("Мой номер восемь девятьсот шестнадцать четыреста восемьдесят два семьдесят три девятнадцать", "89164827319"),
]:
    contact(text, "phone", value, speaker="customer")
# ---- e-mails (53-58)
for text, value in [
    ("Пишите на zorkina.planted@example.ru.", "zorkina.planted"),
    ("Почта lebedev [at] example [dot] ru.", "lebedev"),
    ("Почта gromov(at)example(dot)ru.", "gromov"),
    ("Почта ivan.petrovich собака example точка ru.", "ivan.petrovich"),
    ("Почта belova @ example.ru.", "belova"),
    ("Адрес sidorenko dot maria at gmail dot com.", "sidorenko"),
]:
    contact(text, "email", value, speaker="customer")
# ---- identity numbers (59-62)
contact("Паспорт 4509\u00a0781234, выдан в 2015 году.", "passport", "4509781234", speaker="customer")
contact("СНИЛС 112\u2013233\u2013445 95.", "snils", "11223344595", speaker="customer")
contact("ИНН 500100732259.", "inn", "500100732259", speaker="customer")
c = card(60); contact("Карта %s, CVV 417." % group(c, " "), "card,cvv", c, speaker="customer")
# ---- identifiers (63-68)
contact("Слушаю вас.", "email", "kuznetsova.agent", agent_name="kuznetsova.agent@example.ru", agent_id="kuznetsova.agent@example.ru")
contact("Слушаю вас.", "phone", "79031112233", team="+7 903 111-22-33")
c = card(61); contact("Слушаю вас.", "card", c, queue=group(c, " "))
c = card(62); contact("Слушаю вас.", "card", c, id=group(c, "-"))
contact("Слушаю вас.", "phone", "79035556677", metadata={"category": "+7 903 555-66-77", "csat": 4})
contact("Слушаю вас.", "email", "metadata.planted", metadata={"category": "block", "csat": "metadata.planted@example.ru"})

# ---- rejections (69-72)
c = card(63)
with open(os.path.join(C, "R-speaker.json"), "w", encoding="utf-8") as f:
    json.dump({"id": "R-1", "agent_id": "A001", "channel": "voice", "turns": [{"speaker": group(c, " "), "text": "Алло"}]}, f, ensure_ascii=False)
planted.append(("card", c))
c = card(64)
with open(os.path.join(C, "R-serde.json"), "w", encoding="utf-8") as f:
    json.dump({"id": "R-2", "agent_id": "A001", "channel": "voice", "duration_s": group(c, " "), "turns": [{"speaker": "agent", "text": "Алло"}]}, f, ensure_ascii=False)
planted.append(("card", c))
c = card(65)
with open(os.path.join(C, "R-columns.csv"), "w", encoding="utf-8") as f:
    f.write("contact_id;%s;реплика\nR-3;agent;Алло\n" % group(c, " "))
planted.append(("card", c))
with open(os.path.join(C, "R-txt-speaker.txt"), "w", encoding="utf-8") as f:
    f.write("id: R-4\nagent_id: A001\n\n[00:00] Оператор: Добрый день\n[00:05] +7 916 482-73-20: Алло\n")
planted.append(("phone", "79164827320"))
# ---- TXT and CSV transcripts (73-75)
c = card(66)
with open(os.path.join(C, "T-1.txt"), "w", encoding="utf-8") as f:
    f.write("id: T-1\nagent_id: A002\nagent_name: Оператор 2\n\n[00:00] Оператор: Банк «Пример», здравствуйте!\n"
            "[00:04] Клиент: Карта %s, телефон +7 916 482-73-21.\n[00:09] Оператор: Ваша карта %s?\n" % (group(c, "\u00a0"), group(c, " ")))
planted += [("card", c), ("phone", "79164827321")]
c = card(67)
with open(os.path.join(C, "T-2.csv"), "w", encoding="utf-8") as f:
    f.write("contact_id;agent_id;speaker;text\nT-2;A003;agent;Здравствуйте!\nT-2;A003;customer;Моя карта %s\nT-2;A003;agent;Записала: %s\n"
            % (group(c, "\u2013"), group(c, " ")))
planted.append(("card", c))

# ---- evaluations with comments (76-79)
E = os.path.join(HERE, "evaluations")
shutil.rmtree(E, ignore_errors=True)
os.makedirs(E)
c = card(68)
rows = [
    ("Петрова", "PII-001", "no_full_card_number", "Нет", "Зачитала карту %s целиком" % group(c, " ")),
    ("Петрова", "PII-002", "no_full_card_number", "Нет", "Клиент оставил телефон +7 916 482-73-22"),
    ("Сидоров", "PII-001", "no_full_card_number", "Да", "Почта клиента comment.planted@example.ru"),
    ("Сидоров", "PII-002", "no_full_card_number", "Да", "Паспорт 4509 781299 назван"),
]
with open(os.path.join(E, "answers.csv"), "w", encoding="utf-8") as f:
    f.write("evaluator;contact_id;criterion_id;answer;comment\n")
    for r in rows:
        f.write(";".join(r) + "\n")
planted += [("card", c), ("phone", "79164827322"), ("email", "comment.planted"), ("passport", "4509781299")]

with open(os.path.join(HERE, "planted.tsv"), "w", encoding="utf-8") as f:
    f.write("kind\tvalue\n")
    for k, v in planted:
        f.write("%s\t%s\n" % (k.split(",")[0], v))
with open(os.path.join(HERE, "truth.tsv"), "w", encoding="utf-8") as f:
    f.write("contact_id\tkinds in turns\n")
    for cid, kinds in truth:
        f.write("%s\t%s\n" % (cid, kinds))
print(n, "contacts,", len(planted), "planted values")
