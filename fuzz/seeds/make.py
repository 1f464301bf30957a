#!/usr/bin/env python3
"""Writes the fuzz targets' first corpus (seeds) into fuzz/corpus/<target>/ from the shipped files and a few
hand-made inputs: `python3 fuzz/seeds/make.py`. The fuzzer grows each corpus from these; `cargo fuzz cmin`
then keeps the smallest set that covers as much. Each seed's name is a hash of its bytes, as libFuzzer names
the files it adds, so running this again adds nothing twice."""
import glob, hashlib, json, os, urllib.parse

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
ID = "0f8fad5b-d9cb-469f-a165-70867728950e"
VERSION = "2026-11-23"


def read(path):
    with open(os.path.join(ROOT, path), "rb") as f:
        return f.read()


def write(target, data):
    if isinstance(data, str):
        data = data.encode()
    folder = os.path.join(ROOT, "fuzz", "corpus", target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


form = read("public/forms/remote-support.json")
write("form", form)
write("form", read("collector/tests/forms/test-form.json"))
write("form", form + b"\0" + bytes(range(1, 200)))
for answers in [b"\x02\x05hello\x03\x01\x00\x00\x00\x00\x00\x00\x00", b"\x07\x01\x07\x02\x05\x03\x01\x02\x03" * 4, b"\xff" * 64]:
    write("form", b"\0" + answers)
write("form", '{"id":"f","version":"1","title":"T","pages":[{"id":"p","questions":[{"id":"q","kind":"scale","label":"L","min":-3,"max":3}]}]}')
write("form", '{"id":"f","version":"1","title":"T","pages":[{"id":"p","questions":[{"id":"a","kind":"short_text","label":"A"},{"id":"b","kind":"yes_no","label":"B","show_if":{"question":"a","equals":"x"}}]}]}')

write("config", read("public/config.json"))
write("config", '{"endpoint":"https://forms.example.org/api/submissions","form":"remote-support","organisation":{"name":"O"},"help":[],"embed":{"sources":["hostel-a","Hostel A","hostel-a"],"allowed_origins":["https://hostel-a.example","http://localhost:8080","https://*.example","https://a.example/"]}}')
write("config", '{"endpoint":"/api/submissions","form":"remote-support","organisation":{"name":{"en":"O","cy":"O"}},"help":[{"name":"Line","phone":" 0800 1 ","url":"https://x.example","hours":"24h"}],"exit_url":"https://www.bbc.co.uk/weather","drafts":false,"pages_url":"/"}')
write("config", '{"endpoint":"/api/submissions","form":"remote-support","organisation":{"name":"O"},"help":[],"shared_device":true,"embed":{"sources":[],"allowed_origins":[]}}')
write("config", '{"endpoint":"//evil.example","form":"../x","drafts":"no","shared_device":1}')

for path in glob.glob(os.path.join(ROOT, "public/forms/*.*.json")) + glob.glob(os.path.join(ROOT, "public/locales/*.json")):
    write("words", read(os.path.relpath(path, ROOT)))
write("words", '{"form":"remote-support","language":"cy","texts":{"title":"T","q.nope.label":"x","intro.0":" "}}')
write("words", '{"back":"Yn ôl {name}","count_one":"{n} peth","bad":"{unclosed","x":null}')

answers = {"ways": ["phone", "video"], "rate_phone": 4, "set_back": False, "anything_else": "Ffôn – “quotes” & <b>tags</b>\n"}
body = json.dumps({"schema_version": 1, "submission_id": ID, "form_id": "remote-support", "form_version": VERSION,
                   "sent_at": "2026-11-23T10:00:00.000Z", "language": "en", "answers": answers})
entry = lambda state: {"id": ID, "form": "remote-support", "body": body, "added_ms": 1, "attempts": 3, "next_try_ms": 5, "state": state}
write("stored", json.dumps({"entries": [entry({"state": "queued"}), entry({"state": "sending"}),
                                        entry({"state": "rejected", "status": 422, "reason": "no"})],
                            "lease": {"holder": "tab", "until_ms": 9}, "delivered": 2, "last_delivered_ms": 3}))
write("stored", '{"entries":[{"id":"a","form":"f","body":"{}","added_ms":18446744073709551615,"attempts":4294967295,"next_try_ms":18446744073709551615,"state":{"state":"queued"}}],"lease":null}')
write("stored", json.dumps({"form": "remote-support", "version": VERSION, "saved_ms": 0, "answers": answers}))
write("stored", json.dumps({"route": "#/page/how-well", "answers": answers, "easy": True, "problems": True, "changing": [0, 1, 5]}))
write("stored", json.dumps({"route": "#/sent", "answers": {}, "easy": False, "problems": False, "sent": ID}))
write("stored", json.dumps({"label": " Leeds drop-in\n", "code": "AB", "started_ms": 1}))

def payload(**extra):
    p = {"schema_version": 1, "submission_id": ID, "form_id": "remote-support", "form_version": VERSION,
         "sent_at": "2026-11-23T10:00:00.000Z", "language": "en", "answers": answers}
    p.update(extra)
    return json.dumps(p)

write("submission", payload())
write("submission", payload(context={"shared_device": True, "session": "Leeds", "facilitator": "AB"}, source="hostel-a"))
write("submission", payload(form_version="old", answers={"gone": ["x", "y"], "n": -5}))
write("submission", payload(answers={"contact": "=HYPERLINK(\"x\")", "involved": False}))

def urlencoded(fields):
    return urllib.parse.urlencode(fields)

carry = [("carry-id", ID), ("carry-form", "remote-support"), ("carry-version", VERSION)]
write("carried", urlencoded(carry + [("carry-answers", "{}"), ("carry-screen", "/"), ("do", "start")]))
write("carried", urlencoded(carry + [("carry-answers", "{}"), ("carry-screen", "/page/your-support"), ("q-ways", "phone"), ("q-ways", "video")]))
write("carried", urlencoded(carry + [("carry-answers", json.dumps({"ways": ["phone"]})), ("carry-screen", "/page/how-well"), ("q-rate_phone", "4"), ("do", "back")]))
write("carried", urlencoded(carry + [("carry-answers", json.dumps(answers)), ("carry-easy", "1"), ("carry-screen", "/check"), ("do", "send")]))
write("carried", urlencoded(carry + [("carry-answers", json.dumps(answers)), ("carry-screen", "/check"), ("do", "change-0")]))
write("carried", urlencoded(carry + [("carry-answers", json.dumps({"ways": ["phone"]})), ("carry-changing", "0 2 3 4 5"), ("carry-screen", "/page/your-support"), ("q-ways", "video")]))
write("carried", urlencoded(carry + [("carry-answers", json.dumps({"involved": True})), ("carry-screen", "/page/contact"), ("q-contact", "07700 900123")]))

for extra in ["", "\n" + ID]:
    write("request", "application/json" + extra + "\n" + payload())
write("request", "application/json; charset=utf-8\n\n" + payload(context={"shared_device": True, "session": "=1+2"}, source="hostel-a"))
write("request", "application/json\n\n" + payload(form_version="old", answers={"q": "@SUM(A1)", "n": -5, "c": ["-x"]}))
write("request", "text/plain\n\n{}")
write("request", "application/json\nnot-the-id\n" + payload())
