#!/usr/bin/env python3
"""Agreement of the judge criteria with the samples' ground truth.

The samples (samples/README.md) plant errors for the automatic criteria;
the judge criteria's truth follows from them (a proxy, stated per criterion
below) and is read off the same run's results, whose phrase criteria match
the README's table exactly:

- needs_identified: "no" where needs_clarify fails, else "yes";
- empathy: "na" where complaint_empathy is na (no complaint), "no" where it
  or no_rudeness fails, else "yes";
- objection_handled: "na" where retention is na, "no" where it fails, else "yes";
- resolved_correctly: "no" where complaint_registered or no_helpless_phrases
  fails, else "yes"; chat_resolved_correctly likewise with the chat criteria;
  email_resolved: "no" where email_complaint_reference fails, else "yes".

For each judge criterion it prints: contacts, the model's raw answers that
agree with the truth (from the reason, whether or not the guard let them
stand), how many verdicts stood (pass/fail/na) and how many of those agree.

Usage: judge_agreement.py RESULTS.jsonl [--json]
"""
import json
import re
import sys

ANSWER = re.compile(r"(?:Ответ модели:|ответ модели:)\s*(да|нет|неприменимо)", re.I)
WORD = {"да": "yes", "нет": "no", "неприменимо": "na"}
PASS_WHEN = {}  # every bundled judge question passes on "yes"


def truth(cid, st):
    s = lambda k: st.get(k)
    if cid == "needs_identified":
        return "no" if s("needs_clarify") == "fail" else "yes"
    if cid == "empathy":
        if s("complaint_empathy") == "fail" or s("no_rudeness") == "fail":
            return "no"
        return "na" if s("complaint_empathy") == "na" else "yes"
    if cid == "objection_handled":
        return {"na": "na", "fail": "no"}.get(s("retention"), "yes")
    if cid == "resolved_correctly":
        bad = s("complaint_registered") == "fail" or s("no_helpless_phrases") == "fail"
        return "no" if bad else "yes"
    if cid == "chat_resolved_correctly":
        bad = s("chat_complaint_registered") == "fail" or s("chat_no_helpless") == "fail"
        return "no" if bad else "yes"
    if cid == "email_resolved":
        return "no" if s("email_complaint_reference") == "fail" else "yes"
    return None


def main():
    rows = {}
    for line in open(sys.argv[1], encoding="utf-8"):
        r = json.loads(line)
        st = {c["id"]: c["status"] for c in r["criteria"]}
        for c in r["criteria"]:
            t = truth(c["id"], st)
            if t is None:
                continue
            m = ANSWER.search(c["reason"])
            raw = WORD[m.group(1).lower()] if m else ("na" if c["status"] == "na" else None)
            final = {"pass": "yes", "fail": "no", "na": "na"}.get(c["status"])
            row = rows.setdefault(c["id"], dict(n=0, answered=0, raw_agree=0, stood=0, stood_agree=0, review=0))
            row["n"] += 1
            row["answered"] += raw is not None
            row["raw_agree"] += raw == t
            row["stood"] += final is not None
            row["stood_agree"] += final == t
            row["review"] += c["status"] == "review"
    if "--json" in sys.argv:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    print(f"{'criterion':<24} {'n':>3} {'raw agree':>10} {'stood':>6} {'stood agree':>12} {'review':>7}")
    for k, r in rows.items():
        pct = lambda a, b: f"{a}/{b}" + (f" {100*a/b:.0f}%" if b else "")
        print(f"{k:<24} {r['n']:>3} {pct(r['raw_agree'], r['answered']):>10} {r['stood']:>6} "
              f"{pct(r['stood_agree'], r['stood']):>12} {r['review']:>7}")


if __name__ == "__main__":
    main()
